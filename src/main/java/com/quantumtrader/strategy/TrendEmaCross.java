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
    // the bars where the sign changes (the rule's only events; nothing happens on the bars between)
    int[] x = series.emaCrossings(bars, fast.period(), slow.period());
    double[] ss = series.ema(bars, slow.period()), a = series.atr(bars, atrPeriod()), c = bars.close;
    int last = lastSign; // 0: a fresh engine
    for (int e : x) {
      int i = e >>> 1, sign = (e & 1) != 0 ? 1 : -1;
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
