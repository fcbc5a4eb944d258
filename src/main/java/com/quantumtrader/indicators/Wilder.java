package com.quantumtrader.indicators;

/**
 * Wilder's moving average (also called SMMA or MMA): multiplier 1/n, seeded with the first value
 * (ta4j MMAIndicator).
 */
public final class Wilder extends ExponentialAverage {
  public Wilder(int period) {
    super(period, 1.0 / period);
  }
}
