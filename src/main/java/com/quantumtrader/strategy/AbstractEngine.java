package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Atr;

/**
 * What every template's engine shares: the ATR, the bar count, the warm-up, and the stop, take-profit
 * and confidence recorded at each entry. A template supplies its rule ({@link #evaluate}), its
 * confidence and, if it has one, its take-profit.
 */
abstract class AbstractEngine implements SignalEngine {
  private final Atr atr;
  private final double stopAtr;
  private final int warmUp;
  private long bars;
  private double confidence;
  private double stop = Double.NaN;
  private double takeProfit = Double.NaN;

  AbstractEngine(int atrPeriod, double stopAtr, int warmUp) {
    this.atr = new Atr(atrPeriod);
    this.stopAtr = stopAtr;
    this.warmUp = warmUp;
  }

  @Override
  public final int onBar(double open, double high, double low, double close) {
    double a = atr.update(high, low, close);
    int signal = evaluate(open, high, low, close);
    bars++;
    if (bars <= warmUp) return NONE;
    if (signal == ENTER_LONG) enter(close, a);
    return signal;
  }

  /**
   * Records the confidence, stop and take-profit of an entry on a bar with this close and ATR (the
   * confidence after the template's rule has recorded what it needs: the risk gate refuses an entry
   * below the policy's minimum, and the backtester and shadow books refuse it as the gate does).
   */
  final void enter(double close, double atr) {
    confidence = clamp01(entryConfidence(close, atr));
    stop = close - stopAtr * atr;
    takeProfit = entryTakeProfit(close, atr);
  }

  /**
   * Updates the template's indicators with this bar and returns its rule's signal on it, warm-up or
   * not (the caller applies the warm-up).
   */
  abstract int evaluate(double open, double high, double low, double close);

  /**
   * The backtester's way in: the signals of a <b>new</b> engine over every bar of {@code bars}, into
   * {@code tape}, exactly those {@link #onBar} would give bar by bar (BacktesterTest checks it on
   * real candles). The template's rule is the same method either way; only its inputs differ: here
   * the indicator values come from {@code series}, computed once per view with the same indicator
   * classes, instead of from this engine's own indicators. Leaves the engine as if it had seen the
   * bars, apart from its own indicators and its confidence (so use it for nothing else afterwards).
   */
  abstract void signals(BarArrays bars, SeriesCache series, SignalTape tape);

  /** After {@link #signals} over {@code n} bars. */
  final void advance(int n) {
    bars += n;
  }

  final int atrPeriod() {
    return atr.period();
  }

  /** Checks that the engine is fresh, for {@link #signals}. */
  final void requireFresh() {
    if (bars != 0) throw new IllegalStateException("signals() needs a new engine; this one has seen " + bars + " bars");
  }

  /** Confidence of an entry on this bar (clipped to [0, 1] by the caller); {@code atr} includes the bar. */
  abstract double entryConfidence(double close, double atr);

  /** Take-profit of an entry on this bar, NaN for none. */
  double entryTakeProfit(double close, double atr) {
    return Double.NaN;
  }

  /**
   * Maps a signal strength z >= 0 into [0.5, 1): 0.5 + 0.5 tanh(z), so a bare signal is 0.5 and a
   * strong one approaches 1. Negative z (a signal against its own evidence) goes below 0.5.
   */
  static double squash(double z) {
    return 0.5 + 0.5 * Math.tanh(z);
  }

  /** {@code x / atr}, 0 when the ATR is 0 (a market that has not moved). */
  static double inAtr(double x, double atr) {
    return atr > 0 ? x / atr : 0;
  }

  private static double clamp01(double x) {
    return x < 0 ? 0 : x > 1 ? 1 : x == x ? x : 0;
  }

  @Override
  public final double confidence() {
    return confidence;
  }

  @Override
  public final double stop() {
    return stop;
  }

  @Override
  public final double takeProfit() {
    return takeProfit;
  }

  @Override
  public final double atr() {
    return atr.value();
  }

  @Override
  public final long bars() {
    return bars;
  }

  @Override
  public final int warmUpBars() {
    return warmUp;
  }
}
