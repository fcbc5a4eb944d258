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
    double sd = stdDev(returns, n);
    if (!(sd > 0)) return Double.NaN;
    return mean(returns, n) / sd * Math.sqrt(periodsPerYear);
  }

  public static double sortino(double[] returns, double periodsPerYear) {
    return sortino(returns, returns.length, periodsPerYear);
  }

  /** Sortino of the first {@code n} returns. */
  public static double sortino(double[] returns, int n, double periodsPerYear) {
    if (n < 2) return Double.NaN;
    double down = 0;
    for (int i = 0; i < n; i++) {
      double r = returns[i];
      if (r < 0) down += r * r;
    }
    double dd = Math.sqrt(down / n);
    if (!(dd > 0)) return Double.NaN;
    return mean(returns, n) / dd * Math.sqrt(periodsPerYear);
  }

  /** Total return, Sharpe, Sortino and max drawdown of one equity curve. */
  public record CurveStats(double totalReturn, double sharpe, double sortino, double maxDrawdown) {}

  /**
   * {@link #totalReturn}, {@link #sharpe} and {@link #sortino} of its {@link #returns}, and {@link
   * #maxDrawdown} of the first {@code n} points in two passes instead of eight: the same arithmetic
   * in the same order, so the same doubles bit for bit (MetricsTest checks it). The returns are
   * written to {@code returnsBuf} (at least n - 1 long). For the backtester's hot path.
   */
  public static CurveStats curveStats(double[] equity, int n, double[] returnsBuf, double periodsPerYear) {
    int m = Math.max(0, n - 1);
    double sum = 0;
    double peak = Double.NEGATIVE_INFINITY, trough = Double.POSITIVE_INFINITY, worst = 0;
    for (int i = 0; i < n; i++) {
      double e = equity[i];
      if (i > 0) {
        double r = e / equity[i - 1] - 1.0;
        returnsBuf[i - 1] = r;
        sum += r;
      }
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
      double mean = sum / m, sq = 0, down = 0;
      for (int i = 0; i < m; i++) {
        double r = returnsBuf[i];
        sq += (r - mean) * (r - mean);
        if (r < 0) down += r * r;
      }
      double sd = Math.sqrt(sq / (m - 1));
      if (sd > 0) sharpe = mean / sd * Math.sqrt(periodsPerYear);
      double dd = Math.sqrt(down / m);
      if (dd > 0) sortino = mean / dd * Math.sqrt(periodsPerYear);
    }
    return new CurveStats(totalReturn(equity, n), sharpe, sortino, worst);
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

  /** Share of periods with a position open, from a per-period flag. */
  public static double exposure(boolean[] inMarket) {
    return exposure(inMarket, inMarket.length);
  }

  /** Exposure over the first {@code n} periods. */
  public static double exposure(boolean[] inMarket, int n) {
    if (n == 0) return 0;
    int k = 0;
    for (int i = 0; i < n; i++) if (inMarket[i]) k++;
    return (double) k / n;
  }
}
