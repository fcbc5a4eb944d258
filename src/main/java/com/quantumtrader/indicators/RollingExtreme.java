package com.quantumtrader.indicators;

/**
 * The highest or lowest of the last {@code n} values (over the values seen while fewer than n), as
 * ta4j's HighestValueIndicator / LowestValueIndicator. A monotonic deque of positions over a ring
 * buffer: O(1) amortized per value, no allocation after construction.
 */
public final class RollingExtreme {
  private final boolean highest;
  private final double[] values; // ring: the value added as number s sits at s % n
  private final long[] deque; // ring of sequence numbers whose values decrease (highest) or increase
  private int head; // index in deque of the front (the extreme)
  private int size; // entries in deque
  private long seen; // values added so far

  private RollingExtreme(int period, boolean highest) {
    if (period < 1) throw new IllegalArgumentException("period must be >= 1, was " + period);
    this.highest = highest;
    values = new double[period];
    deque = new long[period];
  }

  /** The highest of the last {@code period} values. */
  public static RollingExtreme max(int period) {
    return new RollingExtreme(period, true);
  }

  /** The lowest of the last {@code period} values. */
  public static RollingExtreme min(int period) {
    return new RollingExtreme(period, false);
  }

  /** Adds a value and returns the extreme including it. */
  public double update(double x) {
    int n = values.length;
    long s = seen++;
    values[(int) (s % n)] = x;
    // drop positions that left the window, then those the new value dominates
    if (size > 0 && deque[head] <= s - n) {
      head = (head + 1) % n;
      size--;
    }
    while (size > 0 && dominated(values[(int) (deque[(head + size - 1) % n] % n)], x)) size--;
    deque[(head + size) % n] = s;
    size++;
    return value();
  }

  private boolean dominated(double old, double x) {
    return highest ? old <= x : old >= x;
  }

  /** The current extreme, NaN before the first value. */
  public double value() {
    return size == 0 ? Double.NaN : values[(int) (deque[head] % values.length)];
  }

  public int period() {
    return values.length;
  }

  public boolean isMax() {
    return highest;
  }

  /** Checkpoint state: values added so far. */
  public long count() {
    return seen;
  }

  /** Checkpoint state: the last min(count, period) values, oldest first; a copy. */
  public double[] window() {
    int n = values.length;
    int k = (int) Math.min(seen, n);
    double[] out = new double[k];
    for (int i = 0; i < k; i++) out[i] = values[(int) ((seen - k + i) % n)];
    return out;
  }

  /** Brings back a checkpoint taken with {@link #count()} and {@link #window()}. */
  public void restore(long count, double[] window) {
    if (window.length != Math.min(count, values.length)) {
      throw new IllegalArgumentException("window of " + window.length + " values does not match count " + count + " and period " + values.length);
    }
    seen = count - window.length;
    head = 0;
    size = 0;
    for (double v : window) update(v);
  }
}
