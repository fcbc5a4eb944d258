package com.quantumtrader.msc;

/** The market's state as the Meta Strategy Controller reads it. */
public enum Regime {
  TRENDING_UP,
  TRENDING_DOWN,
  RANGING,
  HIGH_VOLATILITY,
  CRISIS
}
