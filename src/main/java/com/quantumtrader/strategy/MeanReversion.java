package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Bollinger;
import com.quantumtrader.indicators.Rsi;

/**
 * {@link Template#MEAN_REVERSION}: enter when RSI(close) is below {@code rsiEntry} and the close is
 * below the lower Bollinger band; exit when the close is above the middle band. The take-profit is the
 * middle band at entry (the price the trade reverts to), so a fill rule can take it intrabar before
 * the exit signal on the close.
 *
 * <p>Confidence 0.5 + 0.5 tanh(depth / 2 + 1.5 × gap), where depth is how far the close is below the lower
 * band in ATRs and gap how far RSI is under the threshold as a fraction of it ((rsiEntry - RSI) /
 * rsiEntry). On the real test slices entries range from about 0.52 to 0.99, median about 0.8.
 */
final class MeanReversion extends AbstractEngine {
  private final Rsi rsi;
  private final Bollinger bands;
  private final double rsiEntry;
  private double rsiNow = Double.NaN, middleNow = Double.NaN, lowerNow = Double.NaN; // at the latest entry signal

  MeanReversion(int rsiPeriod, double rsiEntry, int bbPeriod, double bbK, double stopAtr, int atrPeriod) {
    super(atrPeriod, stopAtr, Math.max(Math.max(rsiPeriod, bbPeriod), atrPeriod));
    this.rsi = new Rsi(rsiPeriod);
    this.bands = new Bollinger(bbPeriod, bbK);
    this.rsiEntry = rsiEntry;
  }

  @Override
  int evaluate(double open, double high, double low, double close) {
    double r = rsi.update(close);
    bands.update(close);
    return rule(close, r, bands.middle(), bands.stdDev());
  }

  @Override
  void signals(BarArrays bars, SeriesCache series, SignalTape tape) {
    requireFresh();
    int n = bars.size(), warm = warmUpBars(), f = bars.from;
    tape.clear();
    double[] r = series.rsi(bars, rsi.period()), mid = series.bollingerMiddle(bars, bands.period()),
        sd = series.bollingerStdDev(bars, bands.period()), a = series.atr(bars, atrPeriod()), c = bars.close;
    for (int i = warm; i < n; i++) {
      int signal = rule(c[f + i], r[i], mid[i], sd[i]);
      if (signal == NONE) continue;
      if (signal == ENTER_LONG) enter(c[f + i], a[i]); // rule() recorded the RSI and bands for the confidence and take-profit
      tape.add(i, signal, this);
    }
    advance(n);
  }

  /** The rule, on this bar's RSI and bands; records them for the entry's confidence and take-profit. */
  private int rule(double close, double r, double middle, double stdDev) {
    double lower = Bollinger.lower(middle, stdDev, bands.k());
    if (r < rsiEntry && close < lower) {
      rsiNow = r;
      middleNow = middle;
      lowerNow = lower;
      return ENTER_LONG;
    }
    return close > middle ? EXIT_LONG : NONE;
  }

  @Override
  double entryStrength(double close, double atr) {
    return inAtr(lowerNow - close, atr) / 2 + 1.5 * (rsiEntry - rsiNow) / rsiEntry;
  }

  @Override
  double entryTakeProfit(double close, double atr) {
    return middleNow;
  }
}
