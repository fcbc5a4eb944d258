package com.quantumtrader.strategy;

import com.quantumtrader.indicators.RollingExtreme;

/**
 * {@link Template#DONCHIAN_BREAKOUT}: enter when the close is above the highest high of the previous
 * {@code entryPeriod} bars (the current bar excluded), exit when it is below the lowest low of the
 * previous {@code exitPeriod} bars. No take-profit: a breakout rides until the exit channel.
 *
 * <p>Confidence 0.5 + 0.5 tanh(size / 2 + width / 20), where size is how far the close is above the
 * channel high and width the channel's height (highest high - lowest low of the same bars), both in
 * ATRs: a bigger break out of a wider range counts more. On the real test slices entries range from
 * about 0.55 to 0.95, median about 0.68.
 */
final class DonchianBreakout extends AbstractEngine {
  private final RollingExtreme entryHigh;
  private final RollingExtreme entryLow;
  private final RollingExtreme exitLow;
  private double channelHigh = Double.NaN, channelLow = Double.NaN; // of the previous bars, for the bar just fed

  DonchianBreakout(int entryPeriod, int exitPeriod, int atrPeriod, double stopAtr) {
    super(atrPeriod, stopAtr, Math.max(Math.max(entryPeriod, exitPeriod), atrPeriod));
    this.entryHigh = RollingExtreme.max(entryPeriod);
    this.entryLow = RollingExtreme.min(entryPeriod);
    this.exitLow = RollingExtreme.min(exitPeriod);
  }

  @Override
  int evaluate(double open, double high, double low, double close) {
    channelHigh = entryHigh.value();
    channelLow = entryLow.value();
    double exitChannel = exitLow.value();
    entryHigh.update(high);
    entryLow.update(low);
    exitLow.update(low);
    return rule(close, channelHigh, exitChannel);
  }

  @Override
  void signals(BarArrays bars, SeriesCache series, SignalTape tape) {
    requireFresh();
    int n = bars.size(), warm = warmUpBars(), f = bars.from;
    tape.clear();
    double[] hi = series.priorMaxHigh(bars, entryHigh.period()), lo = series.priorMinLow(bars, entryLow.period()),
        ex = series.priorMinLow(bars, exitLow.period()), a = series.atr(bars, atrPeriod()), c = bars.close;
    for (int i = warm; i < n; i++) {
      int signal = rule(c[f + i], hi[i], ex[i]);
      if (signal == NONE) continue;
      if (signal == ENTER_LONG) {
        channelHigh = hi[i];
        channelLow = lo[i];
        enter(c[f + i], a[i]);
      }
      tape.add(i, signal, this);
    }
    advance(n);
  }

  /** The rule; NaN channels (no previous bars) give nothing. */
  private static int rule(double close, double channelHigh, double exitChannel) {
    return close > channelHigh ? ENTER_LONG : close < exitChannel ? EXIT_LONG : NONE;
  }

  @Override
  double entryStrength(double close, double atr) {
    return inAtr(close - channelHigh, atr) / 2 + inAtr(channelHigh - channelLow, atr) / 20;
  }
}
