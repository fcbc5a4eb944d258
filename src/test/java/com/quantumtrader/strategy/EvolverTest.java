package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;
import org.junit.Test;

/** The genetic search's mechanics on fitness functions whose optimum is known. */
public class EvolverTest {
  /** Peaks at fast 8, slow 40, stop 3 ATR; the other parameters do not matter. */
  private static final ToDoubleFunction<double[]> PLANTED = p ->
      -(Math.pow(p[0] - 8, 2) / 10 + Math.pow(p[1] - 40, 2) / 100 + Math.pow(p[3] - 3.0, 2));

  @Test
  public void findsThePlantedOptimumAndKeepsItOutOfSample() {
    long seed = 7;
    List<Evolver.Progress> progress = new ArrayList<>();
    Evolver.Result r = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", PLANTED, Evolver.fitnessOnly(PLANTED),
        new Evolver.Settings(80, 60, 5, -1.0, seed), ForkJoinPool.commonPool(), progress::add, () -> false);
    Evolver.Candidate best = r.candidates().get(0);
    double[] p = best.spec().params();
    assertTrue("seed " + seed + ": fast " + p[0], Math.abs(p[0] - 8) <= 1);
    assertTrue("seed " + seed + ": slow " + p[1], Math.abs(p[1] - 40) <= 4);
    assertTrue("seed " + seed + ": stop " + p[3], Math.abs(p[3] - 3.0) <= 0.3);
    assertTrue(best.kept());
    assertEquals("kept", best.verdict());
    assertEquals(60, progress.size());
    for (int g = 1; g < progress.size(); g++) {
      assertTrue("generation " + (g + 1), progress.get(g).bestFitness() >= progress.get(g - 1).bestFitness());
    }
    // the best so far is the top candidate's (an operator watching the run sees what it will end with)
    assertEquals(best.trainFitness(), progress.get(59).bestFitness(), 0);
    assertTrue(r.evaluations() > 0 && progress.get(59).evaluationsPerSecond() > 0);
    // the last progress counts every evaluation the run made (no generation is evaluated after it)
    assertEquals(r.evaluations(), progress.get(59).evaluations());
    assertEquals(60, r.generations());
    assertFalse(r.cancelled());
    assertEquals(Template.TREND_EMA_CROSS, best.spec().template());
  }

  @Test
  public void aCandidateThatFailsOutOfSampleIsNotKept() {
    // In sample the planted optimum (shifted above the bar); out of sample nothing reaches the bar.
    ToDoubleFunction<double[]> good = p -> 100 + PLANTED.applyAsDouble(p);
    Evolver.Result r = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", good, Evolver.fitnessOnly(p -> -5.0),
        new Evolver.Settings(40, 10, 3, 0.0, 1), ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertFalse(r.candidates().isEmpty());
    assertTrue(r.kept().isEmpty());
    assertEquals("fitness -5.000 < 0", r.candidates().get(0).verdict());
    // a condition besides the fitness threshold fails the candidate too, and is named
    Evolver.Result few = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", good, p -> new Evolver.OutOfSample(1.0, "3 trades < 20"),
        new Evolver.Settings(40, 10, 3, 0.0, 1), ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertTrue(few.kept().isEmpty());
    assertEquals("3 trades < 20", few.candidates().get(0).verdict());
    // good out of sample but poor on the data it was fitted to: luck, not kept
    Evolver.Result lucky = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", p -> -1.0, Evolver.fitnessOnly(p -> 3.0),
        new Evolver.Settings(40, 3, 3, 0.5, 1), ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertTrue(lucky.kept().isEmpty());
    assertEquals("in-sample fitness -1.000 < 0.5", lucky.candidates().get(0).verdict());
  }

  @Test
  public void aRunCanBeCancelled() {
    int[] generations = {0};
    Evolver.Result r = Evolver.evolve(Template.DONCHIAN_BREAKOUT, "sg", p -> p[0], Evolver.fitnessOnly(p -> p[0]),
        new Evolver.Settings(20, 1000, 2, 0, 3), ForkJoinPool.commonPool(), x -> generations[0]++, () -> generations[0] >= 3);
    assertTrue(r.cancelled());
    assertTrue("ran " + r.generations() + " generations", r.generations() <= 4);

    // cancelled while the first generation is evaluated (a large population): the rest of it is not
    // evaluated, and what was still gives the best so far
    java.util.concurrent.atomic.AtomicInteger backtests = new java.util.concurrent.atomic.AtomicInteger();
    int[] reported = {0};
    Evolver.Result first = Evolver.evolve(Template.DONCHIAN_BREAKOUT, "sg", p -> {
      backtests.incrementAndGet();
      return p[0];
    }, Evolver.fitnessOnly(p -> p[0]), new Evolver.Settings(2_000, 1000, 2, 0, 3), ForkJoinPool.commonPool(),
        x -> reported[0]++, () -> backtests.get() >= 10);
    assertTrue(first.cancelled());
    assertEquals(1, first.generations());
    assertEquals(1, reported[0]);
    int threads = ForkJoinPool.commonPool().getParallelism() + 1;
    assertTrue("evaluated " + first.evaluations() + " of 2,000", first.evaluations() >= 10 && first.evaluations() <= 10 + threads);
    assertEquals(first.evaluations(), backtests.get());
    assertEquals(2, first.candidates().size());

    // cancelled before anything was evaluated: no generation, no candidates (not "every set was invalid")
    int[] none = {0};
    Evolver.Result nothing = Evolver.evolve(Template.DONCHIAN_BREAKOUT, "sg", p -> p[0], Evolver.fitnessOnly(p -> p[0]),
        new Evolver.Settings(20, 1000, 2, 0, 3), ForkJoinPool.commonPool(), x -> none[0]++, () -> true);
    assertTrue(nothing.cancelled());
    assertEquals(0, nothing.generations());
    assertEquals(0, nothing.evaluations());
    assertEquals(0, none[0]);
    assertTrue(nothing.candidates().isEmpty());
  }

  /**
   * While a generation takes longer than a second (a large population, slow backtests), its progress
   * is reported once a second: the generations done so far, and how many of the next are evaluated.
   */
  @Test
  public void aLongGenerationReportsItsProgressWhileUnderWay() {
    java.util.List<Evolver.Progress> progress = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    Evolver.Result r;
    try {
      r = Evolver.evolve(Template.DONCHIAN_BREAKOUT, "sg", p -> {
        try {
          Thread.sleep(5); // a slow backtest: 800 of them on two threads take 2 s
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return p[0];
      }, Evolver.fitnessOnly(p -> p[0]), new Evolver.Settings(800, 1, 2, 0, 3), two, progress::add, () -> false);
    } finally {
      two.shutdownNow();
    }
    assertEquals(1, r.generations());
    Evolver.Progress under = progress.stream().filter(p -> p.underWay() > 0).findFirst().orElse(null);
    assertNotNull("no report while the generation was under way: " + progress, under);
    assertEquals(0, under.generation());
    assertTrue(under.toString(), Double.isNaN(under.medianFitness()));
    // the first generation evaluates its 800 random individuals, then its 480 offspring (at most: unaltered copies are not)
    assertEquals(1280, under.underWayOf());
    for (Evolver.Progress p : progress) assertTrue(p.toString(), p.underWay() <= p.underWayOf());
    assertTrue(r.toString(), r.evaluations() > 800 && r.evaluations() <= 1280);
    Evolver.Progress done = progress.get(progress.size() - 1);
    assertEquals(1, done.generation());
    assertEquals(0, done.underWay());
  }

  /**
   * Only the EMA periods matter here, so every vector that shares the best one's periods scores the
   * same in both windows (a clone of one strategy): the candidates are distinct strategies, not five
   * copies of the best.
   */
  @Test
  public void clonesWithTheSameFiguresInBothWindowsAreLeftOut() {
    ToDoubleFunction<double[]> periodsOnly = p -> -(Math.pow(p[0] - 8, 2) / 10 + Math.pow(p[1] - 40, 2) / 100);
    Evolver.Result r = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", periodsOnly, Evolver.fitnessOnly(periodsOnly),
        new Evolver.Settings(60, 30, 5, -100, 11), ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertEquals(r.candidates().toString(), 5, r.candidates().size());
    assertEquals(r.candidates().toString(), 5,
        r.candidates().stream().map(c -> List.of(c.trainFitness(), c.testFitness())).distinct().count());

    // Near copies: the ATR period moves the fitness by a hair (as behind a wide stop); the candidates
    // are still five strategies with different periods, not one pair of periods five times
    ToDoubleFunction<double[]> nearly = p -> periodsOnly.applyAsDouble(p) - 1e-5 * p[2];
    Evolver.Result n = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", nearly, Evolver.fitnessOnly(nearly),
        new Evolver.Settings(60, 30, 5, -100, 11), ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertEquals(n.candidates().toString(), n.candidates().size(),
        n.candidates().stream().map(c -> List.of(c.spec().params()[0], c.spec().params()[1])).distinct().count());
    assertTrue(n.candidates().toString(), n.candidates().size() >= 3);
  }

  /**
   * Vectors whose daily P&L moves with a better one's are one strategy: here the daily P&L depends on
   * the fast period only, so the candidates have different fast periods; without the daily P&L, the
   * best ones share a fast period.
   */
  @Test
  public void vectorsWhoseDailyPnlMovesWithABetterOnesAreOneStrategy() {
    ToDoubleFunction<double[]> periods = p -> -(Math.pow(p[0] - 8, 2) / 10 + Math.pow(p[1] - 40, 2) / 100) - 1e-5 * p[2];
    java.util.function.Function<double[], double[]> byFast = p -> {
      java.util.Random r = new java.util.Random((long) p[0]);
      double[] d = new double[250];
      for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
      return d;
    };
    Evolver.Settings s = new Evolver.Settings(60, 30, 5, -100, 11);
    Evolver.Result r = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", periods, Evolver.fitnessOnly(periods), byFast, s,
        ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertEquals(r.candidates().toString(), 5, r.candidates().size());
    assertEquals(r.candidates().toString(), 5, r.candidates().stream().map(c -> c.spec().params()[0]).distinct().count());
    assertTrue(r.comparisonRuns() >= 5);
    // the same seed, the same candidates, on one thread too
    Evolver.Result again = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", periods, Evolver.fitnessOnly(periods), byFast, s,
        Runnable::run, x -> { }, () -> false);
    assertEquals(r.candidates().stream().map(c -> List.of(c.spec().params()[0], c.spec().params()[1])).toList(),
        again.candidates().stream().map(c -> List.of(c.spec().params()[0], c.spec().params()[1])).toList());
    assertEquals(r.comparisonRuns(), again.comparisonRuns());
    // a daily P&L that fails: its own exception, not a wrapper
    try {
      Evolver.evolve(Template.TREND_EMA_CROSS, "sg", periods, Evolver.fitnessOnly(periods), p -> {
        throw new IllegalStateException("no candles");
      }, s, ForkJoinPool.commonPool(), x -> { }, () -> false);
      org.junit.Assert.fail("no exception");
    } catch (IllegalStateException e) {
      assertEquals("no candles", e.getMessage());
    }
    Evolver.Result without = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", periods, Evolver.fitnessOnly(periods), s,
        ForkJoinPool.commonPool(), x -> { }, () -> false);
    assertTrue(without.candidates().toString(), without.candidates().stream().map(c -> c.spec().params()[0]).distinct().count() < 5);
  }

  @Test
  public void parameterVectorsTheTemplateRefusesScoreAsInvalid() {
    // Fitness rewards fast > slow, which the template refuses: the best must still be a valid spec.
    Evolver.Result r = Evolver.evolve(Template.TREND_EMA_CROSS, "sg", p -> p[0] - p[1], Evolver.fitnessOnly(p -> 1),
        new Evolver.Settings(30, 10, 3, 0, 5), ForkJoinPool.commonPool(), x -> { }, () -> false);
    for (Evolver.Candidate c : r.candidates()) assertTrue(c.spec().params()[0] < c.spec().params()[1]);
  }
}
