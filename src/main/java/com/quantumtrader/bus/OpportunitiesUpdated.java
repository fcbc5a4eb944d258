package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.quantumtrader.common.CborSerializable;
import java.util.List;

/** The ranker's current top opportunities, best first. */
public record OpportunitiesUpdated(List<Opportunity> top) implements EventPayload {
  public OpportunitiesUpdated {
    top = List.copyOf(top);
  }

  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.OPPORTUNITIES_UPDATED;
  }

  /** One ranked symbol with the components of its score. */
  public record Opportunity(
      String symbol,
      int rank,
      double score,
      double trend,
      double volatility,
      double liquidity,
      double performance)
      implements CborSerializable {}
}
