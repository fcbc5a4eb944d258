package com.quantumtrader.strategy;

/** For the benchmarks: a template's rule alone over a view's (cached) indicator series, as the backtester runs it. */
public final class RulePass {
  private final SignalTape tape = new SignalTape();

  /** The number of signals {@code spec}'s rule gives over {@code bars}. */
  public int signals(StrategySpec spec, BarArrays bars) {
    ((AbstractEngine) spec.newEngine()).signals(bars, bars.series, tape);
    return tape.size;
  }
}
