package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;
import org.junit.Test;

/**
 * A run resumed from a checkpoint goes on exactly as the run not stopped: the same generations,
 * progress, evaluation count and candidates, whichever generation it stopped after, past the age at
 * which Jenetics replaces old individuals (70 generations) too.
 */
public class EvolverResumeTest {
  /** Rugged enough that the population keeps moving: a planted optimum and a ripple. */
  private static final ToDoubleFunction<double[]> FITNESS = p ->
      -(Math.pow(p[0] - 8, 2) / 10 + Math.pow(p[1] - 40, 2) / 100 + Math.pow(p[3] - 3.0, 2)) + Math.sin(p[2] * 0.7 + p[4]);

  private static final Evolver.Settings SETTINGS = new Evolver.Settings(30, 90, 5, -100, 21);

  private static Evolver.Result run(Evolver.Checkpointing c, List<Evolver.Progress> progress) {
    return Evolver.evolve(Template.TREND_EMA_CROSS, "sg", FITNESS, Evolver.fitnessOnly(p -> FITNESS.applyAsDouble(p) / 2),
        null, SETTINGS, ForkJoinPool.commonPool(), progress::add, () -> false, c);
  }

  /** What a result says, without its timing. */
  private static String said(Evolver.Result r) {
    StringBuilder b = new StringBuilder(r.generations() + " generations, " + r.evaluations() + " evaluations\n");
    for (Evolver.Candidate c : r.candidates()) {
      b.append(java.util.Arrays.toString(c.spec().params())).append(' ').append(c.trainFitness()).append(' ').append(c.testFitness())
          .append(' ').append(c.verdict()).append('\n');
    }
    return b.toString();
  }

  /** What a checkpoint holds, but its time. */
  private static String held(Evolver.Checkpoint c) {
    StringBuilder b = new StringBuilder(c.generation() + " " + c.evaluations() + " " + c.randomDraws() + " " + c.bestSoFar() + " "
        + c.lastMedian() + " " + java.util.Arrays.toString(c.fitness()) + " " + java.util.Arrays.toString(c.born()) + " "
        + java.util.Arrays.toString(c.seenFitness()));
    c.genes().forEach(g -> b.append(java.util.Arrays.toString(g)));
    c.seen().forEach(g -> b.append(java.util.Arrays.toString(g)));
    return b.toString();
  }

  private static List<String> generations(List<Evolver.Progress> ps) {
    return ps.stream().map(p -> p.generation() + " " + p.bestFitness() + " " + p.medianFitness() + " " + p.evaluations()).toList();
  }

  @Test
  public void aResumedRunEndsAsTheRunNotStopped() throws Exception {
    List<Evolver.Checkpoint> checkpoints = new ArrayList<>();
    List<Evolver.Progress> whole = new ArrayList<>();
    Evolver.Result uninterrupted = run(new Evolver.Checkpointing(null, 0, checkpoints::add), whole);
    // one after each generation (asked for every 0 ns) but the last: nothing is left to go on with after it
    assertEquals(89, checkpoints.size());
    // without checkpoints, the same run
    assertEquals(said(uninterrupted), said(run(Evolver.Checkpointing.NONE, new ArrayList<>())));
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    for (int k : new int[] {1, 2, 35, 70, 71, 89}) {
      Evolver.Checkpoint c = checkpoints.get(k - 1);
      assertEquals(k, c.generation());
      // as the journal holds it
      Evolver.Checkpoint read = cbor.readValue(cbor.writeValueAsBytes(c), Evolver.Checkpoint.class);
      List<Evolver.Progress> resumed = new ArrayList<>();
      List<Evolver.Checkpoint> later = new ArrayList<>();
      Evolver.Result r = run(new Evolver.Checkpointing(read, 0, later::add), resumed);
      assertEquals("resumed after generation " + k, said(uninterrupted), said(r));
      assertEquals("resumed after generation " + k, generations(whole.subList(k, whole.size())), generations(resumed));
      // and each generation's population as the run not stopped had it (genes, fitness, the generation each was made in)
      assertEquals("resumed after generation " + k, checkpoints.subList(k, 89).stream().map(EvolverResumeTest::held).toList(),
          later.stream().map(EvolverResumeTest::held).toList());
    }
  }

  /** The ranking's map kept to what the ranking can look at: the first RANKED × keep valid vectors, ties in the order first seen. */
  @Test
  public void pruningKeepsWhatTheRankingLooksAt() {
    java.util.Map<List<Double>, Double> seen = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 300; i++) seen.put(List.of((double) i), i < 10 ? Evolver.INVALID : i % 7 == 0 ? 5.0 : (double) (i % 5));
    Evolver.prune(seen, 5); // 250 kept of 290 valid
    assertEquals(250, seen.size());
    assertTrue(seen.values().stream().allMatch(f -> f > Evolver.INVALID));
    // every 5, 4, 3, 2 and 1 is kept; of the 0s (the lowest) those seen first, up to 250 in all
    for (int i = 10; i < 300; i++) {
      double f = i % 7 == 0 ? 5.0 : (double) (i % 5);
      if (f > 0) assertTrue("dropped " + i, seen.containsKey(List.of((double) i)));
    }
    int lastKeptZero = seen.entrySet().stream().filter(e -> e.getValue() == 0.0).mapToInt(e -> e.getKey().get(0).intValue()).max().orElse(-1);
    for (int i = 10; i < 300; i++) {
      boolean zero = i % 7 != 0 && i % 5 == 0;
      if (zero && !seen.containsKey(List.of((double) i))) assertTrue(i + " dropped before " + lastKeptZero, i > lastKeptZero);
    }
    // the order first seen is kept
    List<Double> keys = seen.keySet().stream().map(k -> k.get(0)).toList();
    assertEquals(keys.stream().sorted().toList(), keys);
  }

  @Test
  public void aCheckpointOfAnotherRunIsRefused() {
    List<Evolver.Checkpoint> checkpoints = new ArrayList<>();
    run(new Evolver.Checkpointing(null, 0, checkpoints::add), new ArrayList<>());
    Evolver.Checkpoint c = checkpoints.get(10);
    try {
      Evolver.evolve(Template.TREND_EMA_CROSS, "sg", FITNESS, Evolver.fitnessOnly(FITNESS), null,
          new Evolver.Settings(31, 90, 5, -100, 21), ForkJoinPool.commonPool(), p -> { }, () -> false,
          new Evolver.Checkpointing(c, Long.MAX_VALUE, x -> { }));
      fail("resumed a population of 30 as one of 31");
    } catch (IllegalArgumentException e) {
      assertEquals("cannot resume from this checkpoint: a population of 30, not 31", e.getMessage());
    }
    try {
      Evolver.evolve(Template.MEAN_REVERSION, "sg", FITNESS, Evolver.fitnessOnly(FITNESS), null, SETTINGS, ForkJoinPool.commonPool(),
          p -> { }, () -> false, new Evolver.Checkpointing(c, Long.MAX_VALUE, x -> { }));
      fail("resumed a trend run as a mean-reversion one");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("cannot resume from this checkpoint: genes of another template"));
    }
  }
}
