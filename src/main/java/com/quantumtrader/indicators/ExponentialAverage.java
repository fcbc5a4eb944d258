package com.quantumtrader.indicators;

/**
 * An exponential moving average with a fixed multiplier, seeded with the first value: {@code
 * avg = x0}, then {@code avg += (x - avg) × multiplier}. This is ta4j's AbstractEMAIndicator; {@link
 * Ema} and {@link Wilder} differ only in the multiplier. O(1) per value, no allocation.
 */
public abstract sealed class ExponentialAverage permits Ema, Wilder {
  private final int period;
  private final double multiplier;
  private double value = Double.NaN;
  private long count;

  ExponentialAverage(int period, double multiplier) {
    if (period < 1) throw new IllegalArgumentException("period must be >= 1, was " + period);
    this.period = period;
    this.multiplier = multiplier;
  }

  /** Adds a value and returns the average including it. */
  public final double update(double x) {
    value = count == 0 ? x : value + (x - value) * multiplier;
    count++;
    return value;
  }

  /** The current average, NaN before the first value. */
  public final double value() {
    return value;
  }

  /** Values seen (checkpoint state together with {@link #value()}). */
  public final long count() {
    return count;
  }

  public final int period() {
    return period;
  }

  public final double multiplier() {
    return multiplier;
  }

  /** Brings back a checkpoint taken with {@link #value()} and {@link #count()}. */
  public final void restore(double value, long count) {
    if (count < 0) throw new IllegalArgumentException("count must be >= 0, was " + count);
    this.value = count == 0 ? Double.NaN : value;
    this.count = count;
  }
}
