package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.quantumtrader.common.HealthStatus;
import java.util.List;

/** The node's health changed, with the reasons for the new status. */
public record HealthStatusChanged(HealthStatus status, HealthStatus previous, List<String> reasons)
    implements EventPayload {
  public HealthStatusChanged {
    reasons = List.copyOf(reasons);
  }

  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.HEALTH_STATUS_CHANGED;
  }
}
