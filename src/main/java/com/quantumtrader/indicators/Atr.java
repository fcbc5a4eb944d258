package com.quantumtrader.indicators;

/**
 * Average true range (ta4j ATRIndicator): the {@link Wilder} average of the true range, which is
 * max(high - low, |high - previous close|, |previous close - low|) and high - low on the first bar.
 * O(1) per bar, no allocation.
 */
public final class Atr {
  private final Wilder average;
  private double prevClose = Double.NaN;

  public Atr(int period) {
    average = new Wilder(period);
  }

  /** Feeds one bar and returns the ATR including it. */
  public double update(double high, double low, double close) {
    double tr = average.count() == 0
        ? high - low
        : Math.max(high - low, Math.max(Math.abs(high - prevClose), Math.abs(prevClose - low)));
    prevClose = close;
    return average.update(tr);
  }

  /** The current ATR, NaN before the first bar. */
  public double value() {
    return average.value();
  }

  public int period() {
    return average.period();
  }

  /** Bars seen (checkpoint state with {@link #value()} and {@link #prevClose()}). */
  public long count() {
    return average.count();
  }

  /** The last bar's close (checkpoint state). */
  public double prevClose() {
    return prevClose;
  }

  /** Brings back a checkpoint taken with {@link #value()}, {@link #count()} and {@link #prevClose()}. */
  public void restore(double value, long count, double prevClose) {
    average.restore(value, count);
    this.prevClose = prevClose;
  }
}
