package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/** A retrained model beat the one in use and replaced it. */
public record ModelPromoted(
    String modelName, String version, String previousVersion, Map<String, Double> metrics, String reason)
    implements EventPayload {
  public ModelPromoted {
    metrics = Map.copyOf(metrics);
  }

  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.MODEL_PROMOTED;
  }
}
