package com.quantumtrader.indicators;

/** EMA(n): multiplier 2/(n+1), seeded with the first value (ta4j EMAIndicator). */
public final class Ema extends ExponentialAverage {
  public Ema(int period) {
    super(period, 2.0 / (period + 1));
  }
}
