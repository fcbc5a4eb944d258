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
    for (int i = 1; i < equity.length; i++) r[i - 1] = equity[i] / equity[i - 1] - 1.0;
    return r;
  }

  /** Total return of the curve: last / first - 1. */
  public static double totalReturn(double[] equity) {
    return equity.length < 2 ? 0.0 : equity[equity.length - 1] / equity[0] - 1.0;
  }

  public static double mean(double[] x) {
    if (x.length == 0) return Double.NaN;
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  /** Sample standard deviation (n - 1). */
  public static double stdDev(double[] x) {
    if (x.length < 2) return Double.NaN;
    double m = mean(x), s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return Math.sqrt(s / (x.length - 1));
  }

  public static double sharpe(double[] returns, double periodsPerYear) {
    double sd = stdDev(returns);
    if (!(sd > 0)) return Double.NaN;
    return mean(returns) / sd * Math.sqrt(periodsPerYear);
  }

  public static double sortino(double[] returns, double periodsPerYear) {
    if (returns.length < 2) return Double.NaN;
    double down = 0;
    for (double r : returns) if (r < 0) down += r * r;
    double dd = Math.sqrt(down / returns.length);
    if (!(dd > 0)) return Double.NaN;
    return mean(returns) / dd * Math.sqrt(periodsPerYear);
  }

  /** The largest fall from a peak, as a fraction of the peak, in [0, 1]. */
  public static double maxDrawdown(double[] equity) {
    double peak = Double.NEGATIVE_INFINITY, worst = 0;
    for (double e : equity) {
      if (e > peak) peak = e;
      if (peak > 0) worst = Math.max(worst, (peak - e) / peak);
    }
    return worst;
  }

  /** Share of trades with a positive profit; NaN without trades. */
  public static double winRate(double[] tradePnl) {
    if (tradePnl.length == 0) return Double.NaN;
    int wins = 0;
    for (double p : tradePnl) if (p > 0) wins++;
    return (double) wins / tradePnl.length;
  }

  /** Gross profit / gross loss; NaN without losses (or without trades). */
  public static double profitFactor(double[] tradePnl) {
    double win = 0, loss = 0;
    for (double p : tradePnl) {
      if (p > 0) win += p;
      else loss -= p;
    }
    return loss > 0 ? win / loss : Double.NaN;
  }

  /** Share of periods with a position open, from a per-period flag. */
  public static double exposure(boolean[] inMarket) {
    if (inMarket.length == 0) return 0;
    int n = 0;
    for (boolean b : inMarket) if (b) n++;
    return (double) n / inMarket.length;
  }
}
