package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Atr;

/**
 * What every template's engine shares: the ATR, the bar count, the warm-up, and the stop, take-profit
 * and confidence recorded at each entry. A template supplies its rule ({@link #evaluate}), its
 * entry's strength (whose squash is its confidence) and, if it has one, its take-profit.
 */
abstract class AbstractEngine implements SignalEngine {
  private final Atr atr;
  private final double stopAtr;
  private final int warmUp;
  private long bars;
  private double strength = Double.NaN; // of the latest entry: its confidence is squash(strength)
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
   * Records the strength (whose {@link #confidence} the risk gate compares with the policy's minimum,
   * and the backtester and shadow books as it does), stop and take-profit of an entry on a bar with
   * this close and ATR, after the template's rule has recorded what they need.
   */
  final void enter(double close, double atr) {
    strength = entryStrength(close, atr);
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
   * bars, apart from its own indicators (so use it for nothing else afterwards).
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

  /**
   * The strength z of an entry on this bar, its confidence being {@code squash(z)} (clipped to [0, 1]);
   * {@code atr} includes the bar.
   */
  abstract double entryStrength(double close, double atr);

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

  /** Worked out when asked (the live path asks once per entry): the backtester compares strengths instead ({@link #minStrength}). */
  @Override
  public final double confidence() {
    return confidence(strength);
  }

  /** The confidence of an entry of strength {@code z}: {@code squash(z)} in [0, 1], 0 for NaN. */
  static double confidence(double z) {
    return clamp01(squash(z));
  }

  /** The strength of the latest entry (NaN before the first). */
  final double strength() {
    return strength;
  }

  /**
   * The least strength whose confidence is at least {@code minConfidence}: {@code z >= minStrength(m)}
   * exactly when {@code confidence(z) >= m}, for every double z (tanh is semi-monotonic, so the
   * confidence never falls as z grows; found by bisection over the doubles), so that the backtester
   * admits entries as the risk gate does without a tanh per entry (about 100 ns, which on 5-minute
   * bars cost 2.5 ns a bar). -Infinity for a minimum of 0 or less: every entry, NaN's too.
   */
  static double minStrength(double minConfidence) {
    if (!(minConfidence > 0)) return Double.NEGATIVE_INFINITY;
    long lo = key(-40), hi = key(40); // confidence(-40) is 0 < any minimum; confidence(40) is 1
    if (!(confidence(40) >= minConfidence)) return Double.POSITIVE_INFINITY;
    while (lo < hi - 1) { // invariant: confidence(lo) < min <= confidence(hi); the keys span both signs
      long mid = (lo & hi) + ((lo ^ hi) >> 1); // their mean without overflow
      if (confidence(unkey(mid)) >= minConfidence) hi = mid;
      else lo = mid;
    }
    return unkey(hi);
  }

  /** A double as a long that orders as the doubles do (negative ones mirrored). */
  private static long key(double x) {
    long bits = Double.doubleToRawLongBits(x);
    return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
  }

  private static double unkey(long k) {
    return Double.longBitsToDouble(k >= 0 ? k : k ^ Long.MAX_VALUE);
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
