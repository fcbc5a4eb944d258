package com.quantumtrader.strategy;

/**
 * The entry and exit rule of one strategy instance on one symbol, fed closed bars in time order. This
 * is the only place signal logic lives: the live orchestrator and the backtester both call these
 * engines, the backtester over primitive arrays.
 *
 * <p><b>Long only</b> (spot crypto and equities): {@link #ENTER_LONG} opens or adds to a long, {@link
 * #EXIT_LONG} closes it; nothing here sells short.
 *
 * <p>An engine is stateless about positions: it emits {@link #ENTER_LONG} whenever its entry condition
 * holds on a bar and {@link #EXIT_LONG} whenever its exit condition does; the caller knows whether it
 * holds a position and ignores what does not apply. The first {@link #warmUpBars()} bars never produce
 * a signal (the indicators are still filling), so the first possible signal is on bar number {@code
 * warmUpBars() + 1}.
 *
 * <p>Hot path: doubles, O(1) per bar, no allocation per bar. Not thread-safe; one instance per
 * strategy instance per symbol.
 */
public interface SignalEngine {
  int NONE = 0;
  int ENTER_LONG = 1;
  int EXIT_LONG = 2;

  /** Feeds one closed bar (bars in time order); returns the signal as of that bar's close. */
  int onBar(double open, double high, double low, double close);

  /** Confidence of the latest {@link #ENTER_LONG}, in [0, 1]; 0 before the first. */
  double confidence();

  /**
   * Protective stop price for the latest {@link #ENTER_LONG}: close - stopAtr × ATR, below the close
   * whenever the ATR is positive (equal to it on a market that has not moved at all); NaN before the
   * first entry.
   */
  double stop();

  /** Take-profit price for the latest {@link #ENTER_LONG}, or NaN for none. */
  double takeProfit();

  /** The current ATR (for operators tightening stops); NaN before the first bar. */
  double atr();

  /** Bars fed so far. */
  long bars();

  /** The number of first bars that never produce a signal. */
  int warmUpBars();
}
