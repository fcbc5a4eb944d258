package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.quantumtrader.common.CborSerializable;

/**
 * The body of a bus event. The subtypes are listed here explicitly (no default typing): a payload
 * class that is not named below cannot be read off the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PolicyUpdated.class, name = "policy.updated"),
  @JsonSubTypes.Type(value = OpportunitiesUpdated.class, name = "opportunities.updated"),
  @JsonSubTypes.Type(value = HealthStatusChanged.class, name = "health.status_changed"),
  @JsonSubTypes.Type(value = TradeExecuted.class, name = "trade.executed"),
  @JsonSubTypes.Type(value = StrategyPromoted.class, name = "strategy.promoted"),
  @JsonSubTypes.Type(value = ModelPromoted.class, name = "model.promoted")
})
public sealed interface EventPayload extends CborSerializable
    permits PolicyUpdated,
        OpportunitiesUpdated,
        HealthStatusChanged,
        TradeExecuted,
        StrategyPromoted,
        ModelPromoted {

  EventType type();
}
