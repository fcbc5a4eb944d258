package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.Test;

/** The generator end to end: Jenetics over the backtester, judged in and out of sample. */
public class GeneratorTest {

  /** A random walk (no edge): whatever fits the training window does not hold up out of sample. */
  @Test
  public void onPureNoiseNothingIsKeptOutOfSample() {
    long seed = 20261125;
    BarArrays noise = randomWalk(seed, 6000);
    int keptTotal = 0;
    for (Template t : Template.values()) {
      Evolver.Result r = Generator.run(t, noise, Generator.defaults(40, 12, seed), ForkJoinPool.commonPool(), p -> { }, () -> false);
      keptTotal += r.kept().size();
      assertTrue(t + ": no candidate evaluated", !r.candidates().isEmpty());
    }
    assertTrue("seed " + seed + ": " + keptTotal + " candidates kept on noise", keptTotal == 0);
  }

  /** A market with long, persistent trends: the trend template finds an edge that holds out of sample. */
  @Test
  public void onPersistentTrendsTheTrendTemplateKeepsACandidate() {
    long seed = 42;
    BarArrays trends = trending(seed, 20_000);
    // Trends of 200 bars give a few trades per window: five are enough to count here.
    Generator.Settings s = new Generator.Settings(40, 15, 5, 0.7, 5, 2.0, 0.5, 2.0, seed, Backtester.Config.defaults());
    Evolver.Result r = Generator.run(Template.TREND_EMA_CROSS, trends, s, ForkJoinPool.commonPool(), p -> { }, () -> false);
    assertTrue("seed " + seed + ": candidates " + r.candidates(), !r.kept().isEmpty());
    Evolver.Candidate best = r.kept().get(0);
    assertTrue(best.trainFitness() > 0.5 && best.testFitness() > 0.5);
  }

  /**
   * The same seed gives the same run whatever the number of threads: selection and alteration run on
   * the seeded thread, only the (pure) backtests on the pool.
   */
  @Test
  public void theSameSeedRepeatsARunOnAnyNumberOfThreads() {
    long seed = 11;
    BarArrays trends = trending(seed, 8_000);
    Generator.Settings s = Generator.defaults(60, 12, seed);
    Evolver.Result one = Generator.run(Template.TREND_EMA_CROSS, trends, s, Runnable::run, p -> { }, () -> false);
    for (int threads : new int[] {2, 3}) {
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        for (int round = 0; round < 2; round++) {
          Evolver.Result many = Generator.run(Template.TREND_EMA_CROSS, trends, s, pool, p -> { }, () -> false);
          assertEquals(threads + " threads: evaluations", one.evaluations(), many.evaluations());
          assertEquals(threads + " threads: candidates", describe(one), describe(many));
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /**
   * On real candles the candidates are different strategies: no two have daily training P&L correlated
   * at {@link Evolver#SAME_STRATEGY} or more (before, the five were one EMA pair with stops a tenth of
   * an ATR apart).
   */
  @Test
  public void theCandidatesOnRealCandlesAreDifferentStrategies() throws Exception {
    BarArrays btc = BacktesterTest.real("real/BTCUSDT-1h.csv");
    Generator.Settings s = Generator.defaults(100, 20, 1);
    WalkForward.Window w = WalkForward.split(btc, s.trainFraction());
    int[] days = Backtester.dayEnds(w.train());
    for (Template t : Template.values()) {
      Evolver.Result r = Generator.run(t, btc, s, ForkJoinPool.commonPool(), p -> { }, () -> false);
      assertTrue(t + ": " + r.candidates(), r.candidates().size() >= 2);
      java.util.List<double[]> pnl = r.candidates().stream()
          .map(c -> new Backtester(s.backtest()).dailyPnl(c.spec(), w.train(), days)).toList();
      for (int i = 0; i < pnl.size(); i++) {
        for (int j = i + 1; j < pnl.size(); j++) {
          double c = com.quantumtrader.analytics.Metrics.correlation(pnl.get(i), pnl.get(j));
          assertTrue(t + ": candidates " + i + " and " + j + " correlate at " + c, c < Evolver.SAME_STRATEGY);
        }
      }
    }
  }

  private static String describe(Evolver.Result r) {
    StringBuilder b = new StringBuilder();
    for (Evolver.Candidate c : r.candidates()) {
      b.append(java.util.Arrays.toString(c.spec().params())).append(' ').append(c.trainFitness()).append(' ')
          .append(c.testFitness()).append(' ').append(c.kept()).append('\n');
    }
    return b.toString();
  }

  static BarArrays randomWalk(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] drift = new double[n];
    return build(rnd, n, drift, 0.01);
  }

  /** Regimes of 200 bars, each with a drift of ±0.4 % a bar, plus noise of 1 % a bar. */
  static BarArrays trending(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] drift = new double[n];
    double d = 0.004;
    for (int i = 0; i < n; i++) {
      if (i % 200 == 0) d = rnd.nextBoolean() ? 0.004 : -0.004;
      drift[i] = d;
    }
    return build(rnd, n, drift, 0.01);
  }

  private static BarArrays build(SplittableRandom rnd, int n, double[] drift, double vol) {
    long[] t = new long[n];
    double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n];
    double p = 100;
    for (int i = 0; i < n; i++) {
      double g = Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd.nextDouble()))) * Math.cos(2 * Math.PI * rnd.nextDouble());
      double next = p * Math.exp(drift[i] + vol * g);
      t[i] = 1_700_000_000_000L + i * 3_600_000L;
      o[i] = p;
      c[i] = next;
      h[i] = Math.max(p, next) * (1 + 0.003 * rnd.nextDouble());
      l[i] = Math.min(p, next) * (1 - 0.003 * rnd.nextDouble());
      p = next;
    }
    return BarArrays.of("TEST", "1h", t, o, h, l, c);
  }

  /**
   * The training window needs as many more trades than the out-of-sample window as it is longer, so
   * that a candidate trading as often there reaches the keep rule's 20: 47 on a 70/30 split.
   */
  @Test
  public void theTrainingWindowNeedsTradesInProportionToItsLength() {
    Generator.Settings s = Generator.defaults(10, 1, 1);
    assertEquals(47, Generator.trainingMinTrades(s, 700, 300));
    assertEquals(20, Generator.trainingMinTrades(s, 100, 100));
    assertEquals("never below the out-of-sample count", 20, Generator.trainingMinTrades(s, 100, 400));
    assertEquals(82, Generator.trainingMinTrades(s, 365 * 24, 90 * 24)); // 20 × 365 / 90 = 81.1
    BacktestResult.Summary forty = summaryWith(40);
    assertEquals("40 trades are enough out of sample", Generator.fitness(forty, s), Generator.fitness(forty, s, 20), 0);
    assertTrue("40 of 47 on the training window is scaled down", Generator.fitness(forty, s, 47) < Generator.fitness(forty, s, 20));
  }

  private static BacktestResult.Summary summaryWith(int trades) {
    return new BacktestResult.Summary(0.1, 1.5, 2.0, 0.05, 0.5, 1.3, 0.4, trades, 11_000, 365);
  }
}
