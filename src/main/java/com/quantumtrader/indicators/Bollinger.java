package com.quantumtrader.indicators;

/**
 * Bollinger bands over the last {@code n} values (fewer at the start), as ta4j's
 * BollingerBandsMiddle/Upper/LowerIndicator over SMAIndicator and StandardDeviationIndicator: middle
 * = simple mean, upper/lower = middle ± k × the population standard deviation (ta4j 0.17's
 * VarianceIndicator divides by the number of values, not by n - 1).
 *
 * <p>O(1) amortized per value. Not {@link RollingWindow}: its rolling Welford update loses about
 * 1e-9 of the deviation when prices are large and their spread small (BTC at 40,000 with an SD of
 * 4), enough to flip a close-versus-band comparison. Here the sums are of deviations from a shift
 * near the data, re-based and recomputed from the window every n values, which keeps the SD within
 * about 1e-12 of the two-pass value.
 */
public final class Bollinger {
  private final double[] values; // ring
  private final double k;
  private int count; // values in the window (<= n)
  private int next; // where the next value goes
  private int sinceRebase;
  private double shift = Double.NaN, sum, sumSq; // sums of (x - shift) and (x - shift)^2 over the window

  public Bollinger(int period, double k) {
    if (period < 1) throw new IllegalArgumentException("period must be >= 1, was " + period);
    if (!(k >= 0)) throw new IllegalArgumentException("k must be >= 0, was " + k);
    this.values = new double[period];
    this.k = k;
  }

  /** Adds a value (a close). */
  public void update(double x) {
    int n = values.length;
    if (count == n) {
      double d = values[next] - shift;
      sum -= d;
      sumSq -= d * d;
    } else {
      count++;
    }
    values[next] = x;
    next = (next + 1) % n;
    if (++sinceRebase >= n || count == 1) {
      rebase(x);
    } else {
      double d = x - shift;
      sum += d;
      sumSq += d * d;
    }
  }

  private void rebase(double newShift) {
    shift = newShift;
    sum = 0;
    sumSq = 0;
    for (int i = 0; i < count; i++) {
      double d = values[i] - shift;
      sum += d;
      sumSq += d * d;
    }
    sinceRebase = 0;
  }

  public double middle() {
    return count == 0 ? Double.NaN : shift + sum / count;
  }

  public double stdDev() {
    if (count == 0) return Double.NaN;
    double m = sum / count;
    double var = sumSq / count - m * m;
    return var > 0 ? Math.sqrt(var) : 0;
  }

  public double upper() {
    return middle() + k * stdDev();
  }

  public double lower() {
    return lower(middle(), stdDev(), k);
  }

  /** The lower band of a middle band and a deviation: {@code middle - k × stdDev}. */
  public static double lower(double middle, double stdDev, double k) {
    return middle - k * stdDev;
  }

  public int period() {
    return values.length;
  }

  public double k() {
    return k;
  }

  /** Checkpoint state: values in the window. */
  public int count() {
    return count;
  }

  /** Checkpoint state: the window, oldest first; a copy. */
  public double[] window() {
    int n = values.length;
    double[] out = new double[count];
    for (int i = 0; i < count; i++) out[i] = values[(next - count + i + n) % n];
    return out;
  }

  /**
   * Brings back a checkpoint taken with {@link #window()}. The sums are recomputed from the window, so
   * the bands agree with an uninterrupted instance to rounding (about 1e-12), not bit for bit.
   */
  public void restore(double[] window) {
    if (window.length > values.length) throw new IllegalArgumentException("window of " + window.length + " values, period " + values.length);
    System.arraycopy(window, 0, values, 0, window.length);
    count = window.length;
    next = count % values.length;
    if (count == 0) {
      shift = Double.NaN;
      sum = sumSq = 0;
      sinceRebase = 0;
    } else {
      rebase(window[count - 1]);
    }
  }
}
