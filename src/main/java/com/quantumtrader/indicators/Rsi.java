package com.quantumtrader.indicators;

/**
 * Relative strength index as ta4j's RSIIndicator computes it: {@link Wilder} averages of the gains
 * and of the losses of consecutive values (both 0 on the first value); RSI = 100 - 100 / (1 + avgGain
 * / avgLoss), 100 when the average loss is 0, and 0 when both averages are 0. O(1) per value.
 */
public final class Rsi {
  private final Wilder gains;
  private final Wilder losses;
  private double prev = Double.NaN;

  public Rsi(int period) {
    gains = new Wilder(period);
    losses = new Wilder(period);
  }

  /** Adds a value (a close) and returns the RSI including it. */
  public double update(double x) {
    double change = gains.count() == 0 ? 0 : x - prev;
    gains.update(change > 0 ? change : 0);
    losses.update(change < 0 ? -change : 0);
    prev = x;
    return value();
  }

  /** The current RSI in [0, 100], NaN before the first value. */
  public double value() {
    double g = gains.value(), l = losses.value();
    if (gains.count() == 0) return Double.NaN;
    if (l == 0) return g == 0 ? 0 : 100;
    return 100 - 100 / (1 + g / l);
  }

  public int period() {
    return gains.period();
  }

  /** Checkpoint state: average gain. */
  public double avgGain() {
    return gains.value();
  }

  /** Checkpoint state: average loss. */
  public double avgLoss() {
    return losses.value();
  }

  /** Checkpoint state: values seen. */
  public long count() {
    return gains.count();
  }

  /** Checkpoint state: the last value. */
  public double prev() {
    return prev;
  }

  /** Brings back a checkpoint taken with the four state accessors. */
  public void restore(double avgGain, double avgLoss, long count, double prev) {
    gains.restore(avgGain, count);
    losses.restore(avgLoss, count);
    this.prev = prev;
  }
}
