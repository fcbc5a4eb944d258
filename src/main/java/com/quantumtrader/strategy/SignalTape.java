package com.quantumtrader.strategy;

import java.util.Arrays;

/**
 * A strategy's signals over the bars of one view, as the backtester consumes them: the bars on which
 * the engine said something ({@link SignalEngine#ENTER_LONG} or {@link SignalEngine#EXIT_LONG}), in
 * bar order, and for each entry the engine's stop and take-profit and whether the risk gate's minimum
 * confidence admits it ({@link #gate}). Most bars say nothing, so the tape
 * holds only these events and the backtester skips the stretches between them while it is flat.
 * Buffers grown, never shrunk, reused by one thread.
 */
final class SignalTape {
  int size;
  int[] bar = new int[64];
  byte[] signal = new byte[64];
  double[] stop = new double[64], takeProfit = new double[64];
  boolean[] admitted = new boolean[64];
  private double minConfidence, minStrength = Double.NEGATIVE_INFINITY;

  /**
   * The minimum confidence the entries recorded from now on are checked against: a template's
   * engine's by its entry's strength ({@link AbstractEngine#minStrength}, the same answer without a
   * tanh), any other engine's by its confidence.
   */
  void gate(double minConfidence) {
    this.minConfidence = minConfidence;
    this.minStrength = AbstractEngine.minStrength(minConfidence);
  }

  void clear() {
    size = 0;
  }

  /** Appends a signal on bar {@code i} (after those already on the tape); an entry takes the engine's levels. */
  void add(int i, int s, SignalEngine engine) {
    if (size == bar.length) {
      int cap = size * 2;
      bar = Arrays.copyOf(bar, cap);
      signal = Arrays.copyOf(signal, cap);
      stop = Arrays.copyOf(stop, cap);
      takeProfit = Arrays.copyOf(takeProfit, cap);
      admitted = Arrays.copyOf(admitted, cap);
    }
    bar[size] = i;
    signal[size] = (byte) s;
    if (s == SignalEngine.ENTER_LONG) {
      stop[size] = engine.stop();
      takeProfit[size] = engine.takeProfit();
      admitted[size] = !(minConfidence > 0) || (engine instanceof AbstractEngine a ? a.strength() >= minStrength
          : engine.confidence() >= minConfidence);
    }
    size++;
  }

  /**
   * Feeds every bar of {@code bars} to {@code engine} through {@link SignalEngine#onBar} and records
   * what it says: the way for any engine, and the reference the series way is checked against.
   */
  void record(SignalEngine engine, BarArrays bars) {
    clear();
    int n = bars.size(), f = bars.from;
    double[] o = bars.open, h = bars.high, l = bars.low, c = bars.close;
    for (int i = 0; i < n; i++) {
      int s = engine.onBar(o[f + i], h[f + i], l[f + i], c[f + i]);
      if (s != SignalEngine.NONE) add(i, s, engine);
    }
  }
}
