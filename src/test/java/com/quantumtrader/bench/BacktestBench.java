package com.quantumtrader.bench;

import com.quantumtrader.market.Bar;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.RejectCounts;
import com.quantumtrader.strategy.BacktestResult;
import com.quantumtrader.strategy.Backtester;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.Evolver;
import com.quantumtrader.strategy.Generator;
import com.quantumtrader.strategy.BenchSupport;
import com.quantumtrader.strategy.StrategySpec;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.strategy.Ta4jBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.stream.IntStream;

/**
 * Our backtester next to ta4j 0.17's {@code BarSeriesManager} (DoubleNum, next-open execution) on the
 * same real candles and the same strategy, one thread each: one backtest (TREND_EMA_CROSS defaults),
 * then a sweep of random parameter sets; then an evolve-like load: many parameter sets over the same
 * bars on all cores. A bar-step is one bar through the engine and the
 * fill checks of one strategy.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.quantumtrader.bench.BacktestBench</pre>
 *
 * Data: the 5m crypto files of {@code ../shared/data/market} when present ({@code -Dqt.bench.data=...}
 * to choose), otherwise the committed slices.
 */
public final class BacktestBench {
  public static void main(String[] args) throws Exception {
    System.out.printf("machine: %d cores, %s %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    List<List<Bar>> data = load();
    long total = 0;
    for (List<Bar> l : data) total += l.size();
    System.out.printf("data: %d series, %,d bars%n", data.size(), total);
    List<BarArrays> arrays = new ArrayList<>();
    for (List<Bar> l : data) arrays.add(BarArrays.of(l));
    StrategySpec spec = StrategySpec.defaults("bench", Template.TREND_EMA_CROSS);

    // 0. What a bar-step costs at least here: the EMA-cross scan alone (TREND_EMA_CROSS defaults, 12
    // and 26) over indicator series already computed, one thread: it reads two series, one comparison a
    // bar, and finds the bars where the sign changes. The rule makes it once per pair of periods and view
    // (SeriesCache keeps the crossings); the backtests after it read only the crossings. No fill, no
    // mark, no metrics.
    int fastP = (int) spec.params()[0], slowP = (int) spec.params()[1];
    BenchSupport rule = new BenchSupport();
    for (BarArrays b : arrays) rule.signals(spec, b);
    double ruleNs = Double.MAX_VALUE;
    long ruleSignals = 0;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      for (BarArrays b : arrays) ruleSignals += BenchSupport.crossScan(b, fastP, slowP);
      ruleNs = Math.min(ruleNs, (System.nanoTime() - t0) / (double) total);
    }
    System.out.printf("RESULT the cross scan alone over cached series, one thread (best of 20): %.2f ns/bar (%,.0f bar-steps/s)%n",
        ruleNs, 1e9 / ruleNs);
    double cachedNs = Double.MAX_VALUE;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      for (BarArrays b : arrays) ruleSignals += rule.signals(spec, b);
      cachedNs = Math.min(cachedNs, (System.nanoTime() - t0) / (double) total);
    }
    System.out.printf("RESULT the rule over its kept crossings (signals, stops, take-profits), one thread (best of 20): %.2f ns/bar%n",
        cachedNs);
    // The same on one symbol's training window (the first 70 % of BTCUSDT's bars, or of the first
    // series), small enough to stay in the CPU's caches: what an evolve's backtests read.
    BarArrays one = arrays.stream().filter(b -> b.symbol.equals("BTCUSDT")).findFirst().orElse(arrays.get(0));
    BarArrays window = one.slice(0, (int) (one.size() * 0.7));
    rule.signals(spec, window);
    double windowNs = Double.MAX_VALUE;
    for (int round = 0; round < 200; round++) {
      long t0 = System.nanoTime();
      ruleSignals += BenchSupport.crossScan(window, fastP, slowP);
      windowNs = Math.min(windowNs, (System.nanoTime() - t0) / (double) window.size());
    }
    System.out.printf("RESULT the cross scan alone on %s's first %,d bars, one thread (best of 200): %.2f ns/bar%n", window.symbol,
        window.size(), windowNs);

    // 0b. What computing one backtest's indicator series costs at least: the EMA is a recurrence (each
    // value waits for the one before: a subtraction, a multiplication and an addition), so a series
    // takes a fixed number of CPU cycles per bar however the loop is written. Timed here with the live
    // Ema class into a reused array (no allocation), one EMA alone, best of 20 passes over all bars; and
    // the default spec's three series (EMA 12, EMA 26, ATR 14) in one loop, where the three chains can
    // overlap in the CPU: the least one backtest from scratch can cost before its rule runs.
    int longest = 0;
    for (BarArrays b : arrays) longest = Math.max(longest, b.size());
    double[] s1 = new double[longest], s2 = new double[longest], s3 = new double[longest];
    double emaNs = Double.MAX_VALUE, threeNs = Double.MAX_VALUE, sink0 = 0;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      for (BarArrays b : arrays) sink0 += BenchSupport.ema(b, 26, s1);
      emaNs = Math.min(emaNs, (System.nanoTime() - t0) / (double) total);
      t0 = System.nanoTime();
      for (BarArrays b : arrays) sink0 += BenchSupport.emaEmaAtr(b, 12, 26, 14, s1, s2, s3);
      threeNs = Math.min(threeNs, (System.nanoTime() - t0) / (double) total);
    }
    System.out.printf("RESULT one EMA series alone, one thread (best of 20): %.2f ns/bar; EMA 12 + EMA 26 + ATR 14 in one loop: %.2f ns/bar"
        + " (%,.0f bar-steps/s at most for one backtest from scratch)%n", emaNs, threeNs, 1e9 / threeNs);
    // 0c. The same three series as one backtest from scratch computes them: through a new series cache,
    // into new arrays (the JVM zeroes each, and the first writes miss the CPU's caches), one pass each.
    double freshNs = Double.MAX_VALUE;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      for (BarArrays b : arrays) sink0 += BenchSupport.freshSeries(b, 12, 26, 14);
      freshNs = Math.min(freshNs, (System.nanoTime() - t0) / (double) total);
    }
    System.out.printf("RESULT EMA 12, EMA 26 and ATR 14 into new arrays through a new series cache, as one backtest from scratch computes"
        + " them, one thread (best of 20): %.2f ns/bar%n", freshNs);
    ruleSignals += (long) sink0;

    // 1. Side by side, one thread, one backtest of the same strategy on the same bars: ours (full run
    // with trade list and curve, its indicator series computed from scratch: new arrays every round)
    // vs ta4j (fresh indicators and rules every run).
    // every entry signal taken (no minimum confidence), as ta4j's rules take them: the same trades on both sides
    Backtester bt = new Backtester(Backtester.Config.defaults().withMinConfidence(0));
    Ta4jBench ta4j = new Ta4jBench(data);
    int rounds = Integer.getInteger("qt.bench.rounds", 5);
    double ours = 0, theirs = 0;
    long checksum = 0;
    int warm1 = 5; // the JIT is still compiling our loop in the first rounds (the rate climbed through round 4 in a run with 2)
    for (int round = 0; round < rounds + warm1; round++) {
      List<BarArrays> cold = new ArrayList<>();
      for (List<Bar> l : data) cold.add(BarArrays.of(l));
      System.gc();
      long t0 = System.nanoTime();
      for (BarArrays b : cold) {
        BacktestResult r = bt.run(spec, b);
        checksum += r.trades().size();
      }
      double oursRate = total / ((System.nanoTime() - t0) / 1e9);
      System.gc();
      t0 = System.nanoTime();
      int ta4jTrades = ta4j.run(spec);
      double theirRate = total / ((System.nanoTime() - t0) / 1e9);
      checksum += ta4jTrades;
      System.out.printf("  round %d%s: ours %,.0f bar-steps/s, ta4j %,.0f bar-steps/s, ratio %.0fx%n", round,
          round < warm1 ? " (warm-up)" : "", oursRate, theirRate, oursRate / theirRate);
      if (round >= warm1) {
        ours += oursRate / rounds;
        theirs += theirRate / rounds;
      }
    }
    System.out.printf("RESULT one backtest, one thread, TREND_EMA_CROSS defaults: ours %,.0f bar-steps/s, ta4j BarSeriesManager %,.0f bar-steps/s, ratio %.0fx%n",
        ours, theirs, ours / theirs);

    // 2. Side by side, one thread, a parameter sweep (what a search does): the same random parameter
    // sets over the same bars. Ours: metrics only, indicator series computed once per period for the
    // whole sweep (new arrays every round, so that computing them is timed); ta4j: one BarSeriesManager
    // run per parameter set with fresh indicators, as in part 1.
    int sweepSets = Integer.getInteger("qt.bench.sweep", 40);
    StrategySpec[] sweep = randomSpecs(sweepSets, 7);
    double oursSweep = 0, theirsSweep = 0, sharingSweep = 0;
    int sweepRounds = Math.max(1, rounds - 2);
    for (int round = 0; round < sweepRounds + 1; round++) {
      List<BarArrays> cold = new ArrayList<>();
      for (List<Bar> l : data) cold.add(BarArrays.of(l));
      System.gc();
      long t0 = System.nanoTime();
      double sum = 0;
      for (StrategySpec s : sweep) for (BarArrays b : cold) sum += bt.metrics(s, b).totalReturn();
      double oursRate = (double) sweepSets * total / ((System.nanoTime() - t0) / 1e9);
      System.gc();
      t0 = System.nanoTime();
      for (StrategySpec s : sweep) checksum += ta4j.run(s);
      double theirRate = (double) sweepSets * total / ((System.nanoTime() - t0) / 1e9);
      // ta4j again, its EMA indicators shared by period across the sweep (new for every round)
      System.gc();
      t0 = System.nanoTime();
      List<java.util.Map<Integer, org.ta4j.core.indicators.EMAIndicator>> emas = new ArrayList<>();
      for (StrategySpec s : sweep) checksum += ta4j.runSharing(s, emas);
      double sharingRate = (double) sweepSets * total / ((System.nanoTime() - t0) / 1e9);
      checksum += (long) sum;
      System.out.printf("  sweep round %d%s: ours %,.0f bar-steps/s, ta4j %,.0f bar-steps/s (ratio %.0fx), ta4j sharing its EMAs %,.0f"
          + " (ratio %.0fx)%n", round, round < 1 ? " (warm-up)" : "", oursRate, theirRate, oursRate / theirRate, sharingRate,
          oursRate / sharingRate);
      if (round >= 1) {
        oursSweep += oursRate / sweepRounds;
        theirsSweep += theirRate / sweepRounds;
        sharingSweep += sharingRate / sweepRounds;
      }
    }
    System.out.printf("RESULT sweep of %d TREND_EMA_CROSS parameter sets, one thread: ours %,.0f bar-steps/s, ta4j BarSeriesManager %,.0f bar-steps/s, ratio %.0fx%n",
        sweepSets, oursSweep, theirsSweep, oursSweep / theirsSweep);
    System.out.printf("RESULT the same sweep, ta4j sharing its EMA indicators by period: %,.0f bar-steps/s, ratio %.0fx%n",
        sharingSweep, oursSweep / sharingSweep);

    // 3. Evolve-like: 200 parameter sets × every series, metrics-only path, one Backtester per thread
    // (series shared across rounds: the steady state of a long search).
    int sets = Integer.getInteger("qt.bench.sets", 200);
    StrategySpec[] specs = randomSpecs(sets, 42);
    ThreadLocal<Backtester> perThread = ThreadLocal.withInitial(() -> new Backtester(Backtester.Config.defaults().withMinConfidence(0)));
    DoubleAdder sink = new DoubleAdder();
    double best = 0;
    List<Double> rates = new ArrayList<>();
    // Warm-up rounds before the timed ones, on each side (-Dqt.bench.warmup, 10 by default): with one, our
    // rate still climbed through the last timed round (268 M to 648 M), and ta4j's too; the medians then
    // measured the JIT's progress, not the steady state of a long search.
    int warm = Integer.getInteger("qt.bench.warmup", 10);
    for (int round = 0; round < rounds + warm; round++) {
      long t0 = System.nanoTime();
      IntStream.range(0, sets * arrays.size()).parallel().forEach(j -> {
        BacktestResult.Summary m = perThread.get().metrics(specs[j / arrays.size()], arrays.get(j % arrays.size()));
        sink.add(m.totalReturn());
      });
      double rate = (double) sets * total / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("  evolve-like round %d%s: %,.0f bar-steps/s%n", round, round < warm ? " (warm-up)" : "", rate);
      if (round >= warm) rates.add(rate);
    }
    rates.sort(Double::compare);
    System.out.printf("RESULT evolve-like, %d TREND_EMA_CROSS parameter sets × %,d bars on %d cores: median %,.0f bar-steps/s (min %,.0f, max %,.0f)%n",
        sets, total, Runtime.getRuntime().availableProcessors(), rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1));
    // 3b. ta4j in the same evolve-like load, side by side: parameter sets × every series on all cores
    // (a parallel stream over the same pairs), each run with fresh indicators and rules as in part 1.
    // Fewer sets than ours (-Dqt.bench.ta4jSets, 20 by default: a rate does not depend on the count,
    // and ta4j's 200 would take minutes a round).
    int ta4jSets = Integer.getInteger("qt.bench.ta4jSets", 20);
    StrategySpec[] ta4jSpecs = java.util.Arrays.copyOf(specs, Math.min(ta4jSets, sets));
    java.util.concurrent.atomic.LongAdder positions = new java.util.concurrent.atomic.LongAdder();
    List<Double> ta4jRates = new ArrayList<>();
    for (int round = 0; round < rounds + warm; round++) {
      System.gc();
      long t0 = System.nanoTime();
      IntStream.range(0, ta4jSpecs.length * ta4j.size()).parallel()
          .forEach(j -> positions.add(ta4j.run(ta4jSpecs[j / ta4j.size()], j % ta4j.size())));
      double rate = (double) ta4jSpecs.length * total / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("  ta4j evolve-like round %d%s: %,.0f bar-steps/s%n", round, round < warm ? " (warm-up)" : "", rate);
      if (round >= warm) ta4jRates.add(rate);
    }
    ta4jRates.sort(Double::compare);
    double ta4jMedian = ta4jRates.get(ta4jRates.size() / 2);
    System.out.printf("RESULT evolve-like, ta4j BarSeriesManager, the first %d of those parameter sets on %d cores: median %,.0f bar-steps/s"
        + " (min %,.0f, max %,.0f); ratio of the medians %.0fx%n", ta4jSpecs.length, Runtime.getRuntime().availableProcessors(),
        ta4jMedian, ta4jRates.get(0), ta4jRates.get(ta4jRates.size() - 1), rates.get(rates.size() / 2) / ta4jMedian);
    checksum += positions.sum();

    // 4. A whole default-size evolve (TREND_EMA_CROSS, population 200 × 50 generations, seed 1, 2
    // threads) on the same window's symbol, repeated in this JVM, the JIT long done: each run on new
    // bar arrays, so that it computes its indicator series again. Against a run from the command line,
    // which starts cold, this is what the JVM's warm-up costs.
    ForkJoinPool pool = new ForkJoinPool(2);
    List<String> secs = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      BarArrays fresh = BenchSupport.withoutSeries(one);
      Evolver.Result r = Generator.run(Template.TREND_EMA_CROSS, fresh, Generator.defaults(200, 50, 1), pool, p -> { }, () -> false);
      secs.add(String.format("%.2f", r.seconds()));
      checksum += r.evaluations();
    }
    System.out.println("RESULT evolve defaults on " + one.symbol + " repeated in one warm JVM, seconds per run: " + secs);

    // 5. What the default search repeats: its training backtests and their distinct (fast, slow) pairs
    // (the EMA cross keeps each pair's crossings) and (fast, slow, ATR period) triples.
    long[] pairs = BenchSupport.searchPairs(BenchSupport.withoutSeries(one), pool);
    pool.shutdown();
    System.out.printf("RESULT the default evolve on %s: %,d training backtests, %,d distinct (fast, slow) pairs, %,d distinct"
        + " (fast, slow, atrPeriod)%n", one.symbol, pairs[0], pairs[1], pairs[2]);

    // 6. Metrics.curveStats over real equity curves: those of 100 of the random parameter sets on the
    // training window, only the points where equity moved (as the backtester hands them over), one
    // thread, best of 20 passes; beside the same loops with the downside summed behind a branch on each
    // return's sign (the code before commit deacd3b), to show what the branch cost.
    Backtester full = new Backtester(Backtester.Config.defaults().withMinConfidence(0));
    List<double[]> curves = new ArrayList<>();
    List<Integer> periods = new ArrayList<>();
    long curveBars = 0, curvePoints = 0;
    for (StrategySpec s : randomSpecs(100, 7)) {
      double[] eq = full.run(s, window).equity();
      double[] moved = new double[eq.length];
      int k = 0;
      for (double e : eq) if (k == 0 || !com.quantumtrader.analytics.Metrics.unmoved(moved[k - 1], e)) moved[k++] = e;
      curves.add(java.util.Arrays.copyOf(moved, k));
      periods.add(eq.length);
      curveBars += eq.length;
      curvePoints += k;
    }
    double[] buf = new double[window.size()];
    double nowNs = Double.MAX_VALUE, branchNs = Double.MAX_VALUE, sink6 = 0;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < curves.size(); i++) {
        sink6 += com.quantumtrader.analytics.Metrics.curveStats(curves.get(i), curves.get(i).length, periods.get(i), buf, 105_192).sortino();
      }
      nowNs = Math.min(nowNs, (System.nanoTime() - t0) / (double) curvePoints);
      t0 = System.nanoTime();
      for (int i = 0; i < curves.size(); i++) sink6 += branchyDownside(curves.get(i), curves.get(i).length, periods.get(i), buf);
      branchNs = Math.min(branchNs, (System.nanoTime() - t0) / (double) curvePoints);
    }
    System.out.printf("RESULT Metrics.curveStats over 100 equity curves on %s's training window (%,d points where equity moved, of %,d"
        + " bars), one thread (best of 20): %.2f ns a point; with the downside behind a branch: %.2f ns a point%n", one.symbol,
        curvePoints, curveBars, nowNs, branchNs);
    checksum += (long) sink6;
    System.out.println("(checksum " + checksum + " " + sink.sum() + " " + ruleSignals + ")");
    System.exit(0);
  }

  /**
   * {@code Metrics.curveStats}' two loops as they were before commit deacd3b, the downside summed
   * behind a branch on each return's sign; returns the sums (for the timing only).
   */
  private static double branchyDownside(double[] equity, int n, int periods, double[] returnsBuf) {
    int m = Math.max(0, periods - 1), moved = 0;
    double sum = 0, peak = Double.NEGATIVE_INFINITY, trough = Double.POSITIVE_INFINITY, worst = 0, prev = Double.NaN;
    for (int i = 0; i < n; i++) {
      double e = equity[i];
      if (i > 0) {
        if (com.quantumtrader.analytics.Metrics.unmoved(prev, e)) continue;
        double r = e / prev - 1.0;
        returnsBuf[moved++] = r;
        if (r != 0) sum += r;
      }
      prev = e;
      if (e > peak) {
        peak = e;
        trough = e;
      } else if (e < trough) {
        trough = e;
        if (peak > 0) worst = Math.max(worst, (peak - e) / peak);
      }
    }
    double mean = sum / m, sq = 0, down = 0;
    int zeros = m - moved;
    for (int i = 0; i < moved; i++) {
      double r = returnsBuf[i];
      if (r != 0) {
        sq += (r - mean) * (r - mean);
        if (r < 0) down += r * r;
      } else {
        zeros++;
      }
    }
    return sq + zeros * (mean * mean) + down + worst;
  }

  /** Random valid TREND_EMA_CROSS parameters, as a genetic search would produce. */
  static StrategySpec[] randomSpecs(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    StrategySpec[] out = new StrategySpec[n];
    for (int i = 0; i < n; i++) {
      int fast = rnd.nextInt(2, 60), slow = rnd.nextInt(fast + 1, 250);
      out[i] = new StrategySpec("s" + i, Template.TREND_EMA_CROSS,
          new double[] {fast, slow, rnd.nextInt(5, 50), 0.5 + rnd.nextInt(0, 20) * 0.25, rnd.nextInt(0, 3) * 2.0});
    }
    return out;
  }

  private static List<List<Bar>> load() throws Exception {
    Path shared = Path.of(System.getProperty("qt.bench.data", "../shared/data/market"));
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(shared)) {
      try (var s = Files.list(shared)) {
        s.filter(p -> p.getFileName().toString().endsWith("USDT-5m.csv")).sorted().forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      System.out.println("data: " + shared + " has no 5m crypto files; using the committed slices");
      for (String f : new String[] {"real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "real/ADAUSDT-1h.csv", "equities/DHR-1d.csv"}) {
        files.add(Path.of(BacktestBench.class.getResource("/market/" + f).toURI()));
      }
    } else {
      System.out.println("data: " + files.size() + " 5m crypto files from " + shared.toAbsolutePath().normalize());
    }
    List<List<Bar>> out = new ArrayList<>();
    for (Path p : files) {
      List<Bar> bars = new ArrayList<>();
      try (CsvFolderFeed f = new CsvFolderFeed(p, new RejectCounts())) {
        for (Bar b; (b = f.next()) != null; ) bars.add(b);
      }
      out.add(bars);
    }
    return out;
  }
}
