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
    if (r < rsiEntry && close < bands.lower()) return ENTER_LONG;
    return close > bands.middle() ? EXIT_LONG : NONE;
  }

  @Override
  double entryConfidence(double close, double atr) {
    return squash(inAtr(bands.lower() - close, atr) / 2 + 1.5 * (rsiEntry - rsi.value()) / rsiEntry);
  }

  @Override
  double entryTakeProfit(double close, double atr) {
    return bands.middle();
  }
}
