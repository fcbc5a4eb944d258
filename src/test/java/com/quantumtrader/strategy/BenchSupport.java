package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Atr;
import com.quantumtrader.indicators.Ema;

/** For the benchmarks, which live in another package: a template's rule alone, and bar arrays with no series computed yet. */
public final class BenchSupport {
  private final SignalTape tape = new SignalTape();

  /** The number of signals {@code spec}'s rule gives over {@code bars}, from the view's cached series. */
  public int signals(StrategySpec spec, BarArrays bars) {
    ((AbstractEngine) spec.newEngine()).signals(bars, bars.series, tape);
    return tape.size;
  }

  /**
   * The EMA-cross rule's scan alone, as the first backtest of a pair of periods makes it: the bars
   * where fast - slow changes sign, over the view's cached EMA series (two series read, one comparison
   * a bar); not kept. Returns the number of crossings.
   */
  public static int crossScan(BarArrays bars, int fast, int slow) {
    return SeriesCache.crossings(bars.series.ema(bars, fast), bars.series.ema(bars, slow)).length;
  }

  /**
   * The default search's training backtests on {@code bars} (TREND_EMA_CROSS, population 200 × 50
   * generations, seed 1, its training fitness exactly as {@code Generator.run} scores it), counted:
   * {backtests, distinct (fast, slow) pairs, distinct (fast, slow, atrPeriod)}. The same seed makes
   * the same search on any number of threads, so the counts are those of {@code evolve}'s default run.
   */
  public static long[] searchPairs(BarArrays bars, java.util.concurrent.Executor executor) {
    Generator.Settings s = Generator.defaults(200, 50, 1);
    WalkForward.Window w = WalkForward.split(bars, s.trainFraction());
    int minTrades = Generator.trainingMinTrades(s, w.train().size(), w.test().size());
    ThreadLocal<Backtester> bt = ThreadLocal.withInitial(() -> new Backtester(s.backtest()));
    java.util.Set<java.util.List<Integer>> pairs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<java.util.List<Integer>> triples = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicLong backtests = new java.util.concurrent.atomic.AtomicLong();
    Evolver.evolve(Template.TREND_EMA_CROSS, "count", p -> {
      backtests.incrementAndGet();
      pairs.add(java.util.List.of((int) p[0], (int) p[1]));
      triples.add(java.util.List.of((int) p[0], (int) p[1], (int) p[2]));
      return Generator.fitness(bt.get().metrics(new StrategySpec("candidate", Template.TREND_EMA_CROSS, p), w.train()), s, minTrades);
    }, p -> new Evolver.OutOfSample(0, null), null, s.evolver(), executor, progress -> { }, () -> false);
    return new long[] {backtests.get(), pairs.size(), triples.size()};
  }

  /**
   * What one backtest from scratch computes before its rule: the two EMAs and the ATR of {@code bars}
   * through a new series cache (new arrays, as a first backtest of a view makes them), each in its own
   * pass; returns the sum of the last values.
   */
  public static double freshSeries(BarArrays bars, int fastPeriod, int slowPeriod, int atrPeriod) {
    BarArrays b = withoutSeries(bars);
    int last = b.size() - 1;
    return b.series.ema(b, fastPeriod)[last] + b.series.ema(b, slowPeriod)[last] + b.series.atr(b, atrPeriod)[last];
  }

  /** The same bars (the arrays are shared) with an empty series cache. */
  public static BarArrays withoutSeries(BarArrays b) {
    BarArrays all = BarArrays.of(b.symbol, b.interval, b.openTime, b.open, b.high, b.low, b.close);
    return all.slice(b.from, b.to);
  }

  /** The live EMA of {@code bars}' closes into {@code out} (reused, no allocation); returns the last value. */
  public static double ema(BarArrays bars, int period, double[] out) {
    Ema e = new Ema(period);
    for (int i = 0, n = bars.size(), f = bars.from; i < n; i++) out[i] = e.update(bars.close[f + i]);
    return out[bars.size() - 1];
  }

  /** Two EMAs of the closes and an ATR in one loop (their three recurrences can overlap in the CPU); returns the sum of the last values. */
  public static double emaEmaAtr(BarArrays bars, int fastPeriod, int slowPeriod, int atrPeriod, double[] fastOut, double[] slowOut,
      double[] atrOut) {
    Ema fast = new Ema(fastPeriod), slow = new Ema(slowPeriod);
    Atr atr = new Atr(atrPeriod);
    int n = bars.size();
    for (int i = 0, f = bars.from; i < n; i++) {
      double c = bars.close[f + i];
      fastOut[i] = fast.update(c);
      slowOut[i] = slow.update(c);
      atrOut[i] = atr.update(bars.high[f + i], bars.low[f + i], c);
    }
    return fastOut[n - 1] + slowOut[n - 1] + atrOut[n - 1];
  }
}
