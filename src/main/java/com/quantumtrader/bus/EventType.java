package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The six event types of the bus, with their wire names. */
public enum EventType {
  POLICY_UPDATED("policy.updated"),
  OPPORTUNITIES_UPDATED("opportunities.updated"),
  HEALTH_STATUS_CHANGED("health.status_changed"),
  TRADE_EXECUTED("trade.executed"),
  STRATEGY_PROMOTED("strategy.promoted"),
  MODEL_PROMOTED("model.promoted");

  private final String key;

  EventType(String key) {
    this.key = key;
  }

  @JsonValue
  public String key() {
    return key;
  }

  /** The type with this wire name (or enum name), if any. */
  public static Optional<EventType> parse(String s) {
    if (s == null) return Optional.empty();
    String t = s.trim();
    for (EventType e : values()) {
      if (e.key.equals(t) || e.name().equals(t.toUpperCase(Locale.ROOT))) return Optional.of(e);
    }
    return Optional.empty();
  }
}
