package com.quantumtrader.indicators;

/**
 * The last {@code size} values of a series with their mean and population variance, updated in
 * O(1) per value (Welford's update for the value added and its inverse for the value leaving).
 * Before the window is full, the statistics are over the values seen so far. Its state is readable
 * ({@link #valuesCopy()}, {@link #count()}, {@link #next()}, {@link #mean()}, {@link #m2()}) and
 * brought back by {@link #restore}, so a checkpoint resumes exactly where it was.
 */
public final class RollingWindow {
  private final double[] values;
  private int count; // values in the window (<= size)
  private int next; // where the next value goes
  private double mean;
  private double m2; // sum of squared deviations from the mean

  public RollingWindow(int size) {
    if (size < 1) throw new IllegalArgumentException("window size must be >= 1");
    values = new double[size];
  }

  private RollingWindow(double[] values, int count, int next, double mean, double m2) {
    this.values = values;
    this.count = count;
    this.next = next;
    this.mean = mean;
    this.m2 = m2;
  }

  /**
   * A window holding saved state: {@code values.length} is the window size; the array is copied.
   *
   * @throws IllegalArgumentException if the state cannot come from a window of that size
   */
  public static RollingWindow restore(double[] values, int count, int next, double mean, double m2) {
    if (values.length < 1) throw new IllegalArgumentException("window size must be >= 1");
    if (count < 0 || count > values.length) throw new IllegalArgumentException("count " + count + " outside 0.." + values.length);
    if (next < 0 || next >= values.length) throw new IllegalArgumentException("next " + next + " outside 0.." + (values.length - 1));
    return new RollingWindow(values.clone(), count, next, mean, m2);
  }

  public void add(double x) {
    if (count == values.length) {
      double old = values[next];
      // remove the oldest value
      double delta = old - mean;
      mean -= delta / (count - 1);
      m2 -= delta * (old - mean);
      count--;
    }
    values[next] = x;
    next = (next + 1) % values.length;
    count++;
    double delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    if (m2 < 0) m2 = 0; // rounding, never a real negative variance
  }

  public int size() {
    return values.length;
  }

  public int count() {
    return count;
  }

  /** Where the next value goes in {@link #valuesCopy()} (checkpoint state). */
  public int next() {
    return next;
  }

  /** Sum of squared deviations from the mean (checkpoint state). */
  public double m2() {
    return m2;
  }

  /** The ring buffer as stored (checkpoint state); a copy. */
  public double[] valuesCopy() {
    return values.clone();
  }

  public double mean() {
    return mean;
  }

  /** Population variance of the values in the window. */
  public double variance() {
    return count == 0 ? 0 : m2 / count;
  }

  public double stdDev() {
    return Math.sqrt(variance());
  }

  /** The value {@code back} steps ago (0 = the newest), or the oldest held if fewer were seen. */
  public double ago(int back) {
    int b = Math.min(back, count - 1);
    int idx = (next - 1 - b) % values.length;
    return values[idx < 0 ? idx + values.length : idx];
  }
}
