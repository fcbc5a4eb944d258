package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * A strategy moved through its lifecycle (e.g. SHADOW to LIVE, or LIVE to DEMOTED).
 *
 * @param direction UP for a promotion, DOWN for a demotion or retirement
 */
public record StrategyPromoted(
    String strategyId, String template, String from, String to, String direction, List<String> reasons)
    implements EventPayload {
  public StrategyPromoted {
    reasons = List.copyOf(reasons);
  }

  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.STRATEGY_PROMOTED;
  }
}
