package com.quantumtrader.policy;

/**
 * How much risk the fund may take right now. Selecting a mode applies that mode's preset of {@link
 * Limits} (quantum-trader.policy-store.presets in application.conf).
 */
public enum RiskMode {
  AGGRESSIVE,
  NORMAL,
  DEFENSIVE
}
