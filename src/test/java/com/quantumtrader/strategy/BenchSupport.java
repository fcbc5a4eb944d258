package com.quantumtrader.strategy;

/** For the benchmarks, which live in another package: a template's rule alone, and bar arrays with no series computed yet. */
public final class BenchSupport {
  private final SignalTape tape = new SignalTape();

  /** The number of signals {@code spec}'s rule gives over {@code bars}, from the view's cached series. */
  public int signals(StrategySpec spec, BarArrays bars) {
    ((AbstractEngine) spec.newEngine()).signals(bars, bars.series, tape);
    return tape.size;
  }

  /** The same bars (the arrays are shared) with an empty series cache. */
  public static BarArrays withoutSeries(BarArrays b) {
    BarArrays all = BarArrays.of(b.symbol, b.interval, b.openTime, b.open, b.high, b.low, b.close);
    return all.slice(b.from, b.to);
  }
}
