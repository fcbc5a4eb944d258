package com.quantumtrader.analytics;

/**
 * Performance metrics as plain functions over primitive arrays: the analytics read side and the
 * backtester use these same functions. Conventions:
 *
 * <ul>
 *   <li>An equity curve is equity after each period; period returns are {@code e[i] / e[i-1] - 1}.
 *   <li>Sharpe and Sortino are annualized with {@code periodsPerYear}, with a zero risk-free rate;
 *       the standard deviation is the sample one (n - 1). Sortino's downside deviation is the root
 *       mean square of the negative returns over all n periods.
 *   <li>Undefined values (too few periods, no variation, no losses) are NaN, never an exception:
 *       callers show them as "n/a".
 * </ul>
 */
public final class Metrics {
  private Metrics() {}

  public static double[] returns(double[] equity) {
    if (equity.length < 2) return new double[0];
    double[] r = new double[equity.length - 1];
    returns(equity, equity.length, r);
    return r;
  }

  /**
   * The returns of the first {@code n} points of {@code equity}, written to {@code out} (a reused
   * buffer, so a hot caller allocates nothing); returns how many (n - 1, or 0).
   */
  public static int returns(double[] equity, int n, double[] out) {
    for (int i = 1; i < n; i++) out[i - 1] = equity[i] / equity[i - 1] - 1.0;
    return Math.max(0, n - 1);
  }

  /** Total return of the curve: last / first - 1. */
  public static double totalReturn(double[] equity) {
    return totalReturn(equity, equity.length);
  }

  /** Total return of the first {@code n} points. */
  public static double totalReturn(double[] equity, int n) {
    return n < 2 ? 0.0 : equity[n - 1] / equity[0] - 1.0;
  }

  public static double mean(double[] x) {
    return mean(x, x.length);
  }

  /** Mean of the first {@code n} values. */
  public static double mean(double[] x, int n) {
    if (n == 0) return Double.NaN;
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return s / n;
  }

  /** Sample standard deviation (n - 1). */
  public static double stdDev(double[] x) {
    return stdDev(x, x.length);
  }

  /** Sample standard deviation (n - 1) of the first {@code n} values. */
  public static double stdDev(double[] x, int n) {
    if (n < 2) return Double.NaN;
    double m = mean(x, n), s = 0;
    for (int i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return Math.sqrt(s / (n - 1));
  }

  public static double sharpe(double[] returns, double periodsPerYear) {
    return sharpe(returns, returns.length, periodsPerYear);
  }

  /** Sharpe of the first {@code n} returns. */
  public static double sharpe(double[] returns, int n, double periodsPerYear) {
    if (n < 2) return Double.NaN;
    double mean = sum(returns, n) / n;
    return sharpe(mean, squaredDeviations(returns, n, mean, 0), n, periodsPerYear);
  }

  private static double sharpe(double mean, double squaredDeviations, int n, double periodsPerYear) {
    double sd = Math.sqrt(squaredDeviations / (n - 1));
    return sd > 0 ? mean / sd * Math.sqrt(periodsPerYear) : Double.NaN;
  }

  /**
   * Whether a curve did not move from {@code prev} to {@code e}: the return {@code e / prev - 1} is
   * exactly 0 (equal, finite and non-zero; NaN and infinities are never "unmoved"). Such points can be
   * dropped from a curve without changing any figure here.
   */
  public static boolean unmoved(double prev, double e) {
    return e == prev && prev != 0 && prev - prev == 0;
  }

  /** The sum of the first {@code n} values, in order, exact zeros skipped (adding 0 changes nothing). */
  private static double sum(double[] x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) if (x[i] != 0) s += x[i];
    return s;
  }

  /**
   * Σ (x - mean)² over the first {@code n} values plus {@code zeros} more values of 0: the nonzero
   * values in order, then every zero's share at once as zeros × mean² (a return series is mostly
   * zeros while a strategy is out of the market, and this is the backtester's hot path).
   */
  private static double squaredDeviations(double[] x, int n, double mean, int zeros) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double v = x[i];
      if (v != 0) {
        s += (v - mean) * (v - mean);
      } else {
        zeros++;
      }
    }
    return s + zeros * (mean * mean);
  }

  /** Σ x² over the negative values among the first {@code n}, in order. */
  private static double downside(double[] x, int n) {
    double down = 0;
    for (int i = 0; i < n; i++) {
      double r = x[i];
      if (r < 0) down += r * r;
    }
    return down;
  }

  private static double sortino(double mean, double downside, int n, double periodsPerYear) {
    double dd = Math.sqrt(downside / n);
    return dd > 0 ? mean / dd * Math.sqrt(periodsPerYear) : Double.NaN;
  }

  public static double sortino(double[] returns, double periodsPerYear) {
    return sortino(returns, returns.length, periodsPerYear);
  }

  /** Sortino of the first {@code n} returns. */
  public static double sortino(double[] returns, int n, double periodsPerYear) {
    if (n < 2) return Double.NaN;
    return sortino(sum(returns, n) / n, downside(returns, n), n, periodsPerYear);
  }

  /** Total return, Sharpe, Sortino and max drawdown of one equity curve. */
  public record CurveStats(double totalReturn, double sharpe, double sortino, double maxDrawdown) {}

  /**
   * {@link #totalReturn}, {@link #sharpe} and {@link #sortino} of its {@link #returns}, and {@link
   * #maxDrawdown} of the first {@code n} points, bit for bit those functions' doubles (MetricsTest
   * checks it), for the backtester's hot path: one pass over the curve that skips the points where it
   * did not move (a return of exactly 0, which adds nothing to the sums or the drawdown), then one over
   * the returns where it moved, which it leaves in {@code returnsBuf} (at least n - 1 long).
   */
  public static CurveStats curveStats(double[] equity, int n, double[] returnsBuf, double periodsPerYear) {
    return curveStats(equity, n, n, returnsBuf, periodsPerYear);
  }

  /**
   * {@link #curveStats(double[], int, double[], double)} of a curve of {@code periods} points given
   * by its first {@code points} values where consecutive equal points (finite, non-zero) may have been
   * dropped: they are returns of exactly 0, so the figures are the same as over the whole curve. The
   * backtester hands over only the points where a strategy's equity moved.
   */
  public static CurveStats curveStats(double[] equity, int points, int periods, double[] returnsBuf, double periodsPerYear) {
    if (points > periods || (points == 0 && periods > 0)) throw new IllegalArgumentException(points + " points for " + periods + " periods");
    int n = points, m = Math.max(0, periods - 1), moved = 0;
    double sum = 0;
    double peak = Double.NEGATIVE_INFINITY, trough = Double.POSITIVE_INFINITY, worst = 0;
    double prev = Double.NaN;
    for (int i = 0; i < n; i++) {
      double e = equity[i];
      if (i > 0) {
        if (unmoved(prev, e)) continue;
        double r = e / prev - 1.0;
        returnsBuf[moved++] = r;
        if (r != 0) sum += r;
      }
      prev = e;
      if (e > peak) {
        peak = e;
        trough = e;
      } else if (e < trough) {
        trough = e;
        if (peak > 0) worst = Math.max(worst, (peak - e) / peak);
      }
    }
    double sharpe = Double.NaN, sortino = Double.NaN;
    if (m >= 2) {
      double mean = sum / m;
      // squaredDeviations() and downside() in one loop (the same sums in the same order: MetricsTest
      // checks the doubles): the backtester calls this once per candidate, and one pass is measurably faster.
      // The downside adds min(r, 0)², without a branch: a return's sign is a coin toss the CPU cannot
      // predict, and the branch cost more than the rest of the loop. Adding the 0 of a return >= 0 changes
      // nothing (the sum is never -0.0), and a NaN return makes both figures NaN either way.
      double sq = 0, down = 0;
      int zeros = m - moved;
      for (int i = 0; i < moved; i++) {
        double r = returnsBuf[i];
        if (r != 0) {
          sq += (r - mean) * (r - mean);
          double loss = Math.min(r, 0.0);
          down += loss * loss;
        } else {
          zeros++;
        }
      }
      sharpe = sharpe(mean, sq + zeros * (mean * mean), m, periodsPerYear);
      sortino = sortino(mean, down, m, periodsPerYear);
    }
    return new CurveStats(periods < 2 ? 0.0 : equity[n - 1] / equity[0] - 1.0, sharpe, sortino, worst);
  }

  /** The largest fall from a peak, as a fraction of the peak, in [0, 1]. */
  public static double maxDrawdown(double[] equity) {
    return maxDrawdown(equity, equity.length);
  }

  /** Max drawdown of the first {@code n} points. */
  public static double maxDrawdown(double[] equity, int n) {
    // For one peak the fall (peak - e) / peak only grows as e goes lower, so it is computed only at a
    // new low since the peak: the same value as at every point, without a division per point.
    double peak = Double.NEGATIVE_INFINITY, trough = Double.POSITIVE_INFINITY, worst = 0;
    for (int i = 0; i < n; i++) {
      double e = equity[i];
      if (e > peak) {
        peak = e;
        trough = e;
      } else if (e < trough) {
        trough = e;
        if (peak > 0) worst = Math.max(worst, (peak - e) / peak);
      }
    }
    return worst;
  }

  /** Share of trades with a positive profit; NaN without trades. */
  public static double winRate(double[] tradePnl) {
    return winRate(tradePnl, tradePnl.length);
  }

  /** Win rate of the first {@code n} trades. */
  public static double winRate(double[] tradePnl, int n) {
    if (n == 0) return Double.NaN;
    int wins = 0;
    for (int i = 0; i < n; i++) if (tradePnl[i] > 0) wins++;
    return (double) wins / n;
  }

  /** Gross profit / gross loss; NaN without losses (or without trades). */
  public static double profitFactor(double[] tradePnl) {
    return profitFactor(tradePnl, tradePnl.length);
  }

  /** Profit factor of the first {@code n} trades. */
  public static double profitFactor(double[] tradePnl, int n) {
    double win = 0, loss = 0;
    for (int i = 0; i < n; i++) {
      double p = tradePnl[i];
      if (p > 0) win += p;
      else loss -= p;
    }
    return loss > 0 ? win / loss : Double.NaN;
  }

  /** Pearson correlation; 1 for two series that never move (neither trades), 0 when only one never moves. */
  public static double correlation(double[] a, double[] b) {
    int n = Math.min(a.length, b.length);
    double ma = n == 0 ? 0 : mean(a, n), mb = n == 0 ? 0 : mean(b, n);
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i] - ma, y = b[i] - mb;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    if (aa == 0 && bb == 0) return 1;
    if (aa == 0 || bb == 0) return 0;
    return ab / Math.sqrt(aa * bb);
  }

  /** Share of periods with a position open, from a per-period flag. */
  public static double exposure(boolean[] inMarket) {
    return exposure(inMarket, inMarket.length);
  }

  /** Exposure over the first {@code n} periods. */
  public static double exposure(boolean[] inMarket, int n) {
    int k = 0;
    for (int i = 0; i < n; i++) if (inMarket[i]) k++;
    return exposure(k, n);
  }

  /** Exposure of {@code periodsInMarket} periods in the market out of {@code n}; 0 for none. */
  public static double exposure(int periodsInMarket, int n) {
    return n == 0 ? 0 : (double) periodsInMarket / n;
  }
}
