package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Ema;

/**
 * {@link Template#TREND_EMA_CROSS}: enter when the fast EMA of closes crosses above the slow one, exit
 * when it crosses below. A cross is ta4j's CrossedUp/DownIndicatorRule: fast above slow now, and below
 * it on the latest earlier bar where the two were not equal (a touch followed by a return is no cross).
 *
 * <p>Confidence 0.5 + 0.5 tanh(((close - slow EMA) / ATR) / 2): how far the close already stands above
 * the slow trend, in ATRs; a fresh cross with the close one to two ATRs above lands at about 0.73-0.88; on the real test slices
 * the median entry is about 0.7.
 */
final class TrendEmaCross extends AbstractEngine {
  private final Ema fast;
  private final Ema slow;
  private final double takeProfitAtr;
  private int lastSign; // sign of fast - slow on the latest bar where they differed
  private double slowNow = Double.NaN; // the slow EMA on the bar just evaluated

  TrendEmaCross(int fastPeriod, int slowPeriod, int atrPeriod, double stopAtr, double takeProfitAtr) {
    super(atrPeriod, stopAtr, Math.max(slowPeriod, atrPeriod));
    this.fast = new Ema(fastPeriod);
    this.slow = new Ema(slowPeriod);
    this.takeProfitAtr = takeProfitAtr;
  }

  @Override
  int evaluate(double open, double high, double low, double close) {
    double f = fast.update(close), s = slow.update(close);
    slowNow = s;
    int sign = sign(f, s);
    int signal = cross(sign, lastSign);
    if (sign != 0) lastSign = sign;
    return signal;
  }

  @Override
  void signals(BarArrays bars, SeriesCache series, SignalTape tape) {
    requireFresh();
    int n = bars.size(), warm = warmUpBars();
    tape.clear();
    double[] fs = series.ema(bars, fast.period()), ss = series.ema(bars, slow.period()), a = series.atr(bars, atrPeriod()),
        c = bars.close;
    int last = lastSign;
    for (int i = 0; i < n; i++) {
      // Skip to the next bar whose sign is neither the last one nor 0 (no cross before it): one
      // comparison a bar, the common case
      i = last > 0 ? nextBelow(fs, ss, i, n) : last < 0 ? nextBelow(ss, fs, i, n) : nextApart(fs, ss, i, n);
      if (i == n) break;
      int sign = sign(fs[i], ss[i]);
      int signal = cross(sign, last);
      last = sign;
      if (i < warm || signal == NONE) continue;
      if (signal == ENTER_LONG) {
        slowNow = ss[i];
        enter(c[bars.from + i], a[i]);
      }
      tape.add(i, signal, this);
    }
    lastSign = last;
    advance(n);
  }

  /** The first bar from {@code i} on where {@code a < b}; {@code n} if none. */
  private static int nextBelow(double[] a, double[] b, int i, int n) {
    for (; i < n; i++) if (a[i] < b[i]) return i;
    return n;
  }

  /** The first bar from {@code i} on where the two differ (sign not 0); {@code n} if none. */
  private static int nextApart(double[] a, double[] b, int i, int n) {
    for (; i < n; i++) if (sign(a[i], b[i]) != 0) return i;
    return n;
  }

  /** The sign of fast - slow. */
  private static int sign(double fast, double slow) {
    return fast > slow ? 1 : fast < slow ? -1 : 0;
  }

  /** The rule: a cross up enters, a cross down exits, given the sign now and on the latest bar it was not 0. */
  private static int cross(int sign, int lastSign) {
    return sign > 0 && lastSign < 0 ? ENTER_LONG : sign < 0 && lastSign > 0 ? EXIT_LONG : NONE;
  }

  @Override
  double entryStrength(double close, double atr) {
    return inAtr(close - slowNow, atr) / 2;
  }

  @Override
  double entryTakeProfit(double close, double atr) {
    return takeProfitAtr > 0 ? close + takeProfitAtr * atr : Double.NaN;
  }
}
