package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.indicators.Atr;
import com.quantumtrader.indicators.Ema;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.Test;

/**
 * The Strategy Generator on synthetic markets with a planted, learnable edge, one per parameter group
 * of {@link Template#TREND_EMA_CROSS}: one market plants {@code takeProfitAtr}, the other the EMA
 * periods {@code fast} and {@code slow} ({@link #evolutionFindsThePlantedEmaPeriods}). In each the
 * genetic search, with every parameter free, must find the planted values, and its best candidate must
 * hold up out of sample.
 *
 * <p>The take-profit series ({@link #plantedRallies}; hourly bars, seeded) repeats one episode 150
 * times. A "unit" is 1 % of the price, about one bar's true range; ATR means ATR(14) at the jump bar
 * (the template's default ATR), as the series is built.
 *
 * <ol>
 *   <li><b>Base</b>, 60-99 bars of about one unit each, closes sinking very slowly with noise of 0.15
 *       units: the fast EMA stays (mostly) under the slow one.
 *   <li><b>Jump</b>: one bar closes 0.8-1.2 units higher. This is where the fast EMA of a well chosen
 *       pair crosses above the slow one: the entry.
 *   <li><b>Plateau</b>, 10-19 bars drifting down by 0.03 ATR a bar: no high gets more than 0.05 ATR
 *       above the bar's body, so no take-profit worth having fills here.
 *   <li><b>Rally</b>, in about 3 episodes out of 4: one bar whose high is between 4.0 and 4.5 ATR above
 *       the jump's close (uniformly), closing back on the plateau.
 *   <li><b>Drop</b>: the next bar opens 2 ATR below the last close, a gap through the stop of a trade
 *       still open (unless the stop is wider still, and then the EMA cross down closes it lower).
 * </ol>
 *
 * So a trade entered on the jump earns only through its take-profit in the rally. Every rally reaches
 * 4 ATR: a take-profit up to 4 always fills, and the higher it is the more each trade earns; one above
 * 4 misses the lower rallies and rides into the drop instead, and above 4.5 it never fills. The best
 * {@code takeProfitAtr} is therefore just under the planted 4. The episodes without a rally, and the
 * whipsaw trades of fast EMA pairs on the noisy base, lose the same whatever the take-profit: they do
 * not move the optimum, but they are what makes more profit per win raise the Sharpe ratio (without
 * losses that do not scale with it, a Sharpe ratio is blind to the size of identical wins). The
 * search still has to find the rest: an EMA pair that crosses on the jumps and not on the noise, a
 * stop above the plateau's lows, an ATR period; ATR(atrPeriod) at the jump is not exactly ATR(14),
 * so the best take-profit for a candidate's own ATR lies between about 3.7 and 4.1.
 *
 * <p>The tolerance, 0.5 either side of 4, is tight for this search space: {@code takeProfitAtr}
 * ranges over [0, 20], so a random parameter vector lands within it one time in 20 (108 of 2,000
 * random valid vectors did; the median one was 6 away). Only 10 of those 2,000 had a positive
 * training fitness on this series, with take-profits from 0.8 to 3.7. Cut to one generation of 200
 * random vectors, the search found 2.8 or 3.2; with 5 generations, 2.4-3.6; with the 80 here,
 * 3.70-4.09 in 20 runs, always kept out of sample.
 *
 * <p>The spread above was measured when Jenetics still ran selection and alteration on the
 * executor's threads, out of reach of {@link Evolver}'s seeded random, so that a run varied a little
 * from one to the next. {@link Evolver} now runs them on its seeded thread (only the backtests go to
 * the executor), so a seed repeats its run exactly on any number of threads ({@code GeneratorTest}).
 */
public class GeneratorPlantedEdgeTest {
  /** The planted take-profit, in ATR(14) at the entry: the lowest a rally goes. */
  static final double PLANTED_TAKE_PROFIT_ATR = 4.0;
  /** Rallies reach between the planted value and this much above it, uniformly. */
  static final double RALLY_SPREAD_ATR = 0.5;
  static final double TOLERANCE = 0.5;

  /** The planted EMA periods: the one pair whose crosses the second market pays for. */
  static final int PLANTED_FAST = 20, PLANTED_SLOW = 80;
  static final double FAST_TOLERANCE = 3, SLOW_TOLERANCE = 12;

  /**
   * {@code s} taking every entry signal: the edges are planted in the template's signals, whatever
   * their confidence (the risk gate's minimum, which the defaults apply, is tested with the
   * backtester; with it, most of the planted crosses come at too low a confidence to be taken).
   */
  static Generator.Settings everySignal(Generator.Settings s) {
    return new Generator.Settings(s.population(), s.generations(), s.keep(), s.trainFraction(), s.minTrades(), s.drawdownPenalty(),
        s.minTestFitness(), s.minTStat(), s.seed(), s.backtest().withMinConfidence(0));
  }

  @Test
  public void evolutionFindsThePlantedTakeProfit() {
    long seed = 20260301;
    BarArrays bars = plantedRallies(seed, 150);
    Generator.Settings s = everySignal(Generator.defaults(200, 80, seed));
    Evolver.Result r = Generator.run(Template.TREND_EMA_CROSS, bars, s, ForkJoinPool.commonPool(), p -> { }, () -> false);

    Evolver.Candidate best = r.candidates().get(0);
    double takeProfit = best.spec().params()[Template.TREND_EMA_CROSS.indexOf("takeProfitAtr")];
    String what = "seed " + seed + ": best " + Arrays.toString(best.spec().params()) + ", train fitness "
        + best.trainFitness() + ", test fitness " + best.testFitness();
    assertEquals(what, PLANTED_TAKE_PROFIT_ATR, takeProfit, TOLERANCE);
    assertTrue(what + ": not kept out of sample", best.kept());
  }

  /**
   * The EMA periods: a market in which only the crosses of EMA(20) and EMA(80) pay ({@link
   * #plantedCrosses}). The series (hourly bars, seeded) repeats one episode 90 times, about 148 bars
   * each (13,320 bars for this seed). "The gap" is EMA(20) − EMA(80) of the closes, kept while the
   * series is built with the project's own {@link Ema}, so it is the double the strategy computes; m is
   * the change in the gap that a one-bar move of 1/8 % of the price makes; ATR is ATR(14) at the entry.
   *
   * <ol>
   *   <li><b>Base</b>, at least 80-159 bars: a random walk (0.4 % noise and 0.1 % drift up a bar)
   *       whose closes are capped so that the gap stays at or below −m. The planted pair never crosses
   *       up here; other pairs do, into a market whose every rise at the planted pair's scale is cut
   *       off. The base ends once the gap is within 3 m of zero.
   *   <li><b>Entry</b>: one bar lifts the gap to m to 2 m (a rise of roughly 1/8 to 5/8 %): the
   *       planted pair crosses up, and is filled at the next open.
   *   <li><b>Plateau</b>, 6-23 bars: closes within about 0.05 % of the entry close, held so that the
   *       gap stays between m and 4 m; no high more than 0.05 ATR above the bar's body, lows 0.5-1
   *       ATR below it.
   *   <li><b>Spike</b>, on plateau bar 1-8 (uniformly): the high reaches 3-3.5 ATR above the entry
   *       close; the close stays on the plateau, so no EMA of closes sees it.
   *   <li><b>Exit</b>: one bar takes the gap to −m to −2 m, the planted pair crosses down.
   *       <b>Drop</b>: the next bar opens there and closes 1.35-1.65 ATR lower.
   * </ol>
   *
   * So the planted pair trades once an episode and is always in before the spike: with a take-profit
   * under about 3 ATR (and a stop wider than the plateau's lows) every trade wins. A pair that crosses
   * up on the same bar does as well; one that crosses some bars later catches the spike only when the
   * spike comes later still, and otherwise buys the plateau after it and sells lower (on the exit bar
   * or after the drop); a pair quicker than the planted one also crosses up in the base, and loses
   * there. The price sinks by about 1.3 % an episode (the cap and the drops; everything above is
   * relative to it).
   *
   * <p>On this series (training fitness of (fast, slow) with atrPeriod 14, the best of stopAtr 1, 2, 4,
   * 8 and takeProfitAtr 0-4) the fitness peaks at 6.8 at (20, 80), on a ridge along which (fast + 1) ×
   * (slow + 1) stays within about 10 % of the planted 1,701: (19, 86) 6.7, (20, 83) 6.5, (22, 77) 6.0,
   * (18, 92) 5.5, (24, 74) and (17, 101) 3.7. That product is roughly what decides whether one bar's
   * step makes a pair cross: the step moves the pair's gap by 2 (slow − fast) / ((fast + 1)(slow + 1))
   * of its size, and a steady trend holds the gap at a multiple of slow − fast. Off the ridge the
   * fitness falls steeply: (20, 74) −10.3, (16, 83) −9.2. Along it the series tells the periods apart
   * least, so the tolerance is 3 on fast and 12 on slow (15 % of each).
   *
   * <p>A random valid parameter vector lands within it about one time in 360 (11 of 4,000 did; the
   * median one was 65 off in fast and 174 in slow), and only 5 of those 4,000 had a positive training
   * fitness, the best 4.5 at (22, 81). With a population of 600, over seeds 20260302-20260321 (each
   * seed its own series and search), the search ended within the tolerance 2 times in 20 after one
   * generation, 3 after 5, 19 after 20. With the 150 generations here, 80 times in 80 (seeds
   * 20260302-20260381): fast 18-22, slow 77-91, take-profit 2.79-3.02, training fitness 5.9-7.0,
   * out-of-sample 5.3-7.3, always kept; this seed gives (21, 78). A search of 400 × 120 missed 2 of
   * those 80, both on the ridge, at (18, 93) and (17, 101). Planting EMA(35) and EMA(120) instead, the
   * search finds (35, 122) and this test fails; on a random walk of 13,000 bars it ends at (30, 212),
   * not kept.
   */
  @Test
  public void evolutionFindsThePlantedEmaPeriods() {
    long seed = 20260302;
    BarArrays bars = plantedCrosses(seed, 90);
    Generator.Settings s = everySignal(Generator.defaults(600, 150, seed));
    Evolver.Result r = Generator.run(Template.TREND_EMA_CROSS, bars, s, ForkJoinPool.commonPool(), p -> { }, () -> false);

    Evolver.Candidate best = r.candidates().get(0);
    double[] params = best.spec().params();
    double fast = params[Template.TREND_EMA_CROSS.indexOf("fast")], slow = params[Template.TREND_EMA_CROSS.indexOf("slow")];
    String what = "seed " + seed + ": planted fast " + PLANTED_FAST + ", slow " + PLANTED_SLOW + "; best "
        + Arrays.toString(params) + ", train fitness " + best.trainFitness() + ", test fitness " + best.testFitness();
    assertEquals(what + ": fast", PLANTED_FAST, fast, FAST_TOLERANCE);
    assertEquals(what + ": slow", PLANTED_SLOW, slow, SLOW_TOLERANCE);
    assertTrue(what + ": not kept out of sample", best.kept());
  }

  /** About {@code episodes} × 100 hourly bars of base, jump, plateau, rally (3 in 4) and drop; see the class comment. */
  static BarArrays plantedRallies(long seed, int episodes) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Tape tape = new Tape(episodes * 150 + 300, 100);
    Atr atr14 = new Atr(14);
    int measured = 0;
    for (int e = 0; e < episodes; e++) {
      // Base: the first one longer, so that every indicator is warm before the first jump.
      int baseBars = (e == 0 ? 200 : 60) + rnd.nextInt(40);
      double line = tape.last;
      for (int i = 0; i < baseBars; i++) {
        line *= 1 - 0.005 * UNIT;
        tape.ordinaryBar(rnd, line * (1 + 0.15 * UNIT * gaussian(rnd)));
      }
      // Jump: a short bar (its range not much more than its body), so the ATR barely moves on it.
      double before = tape.last, jumpClose = before * (1 + (0.8 + 0.4 * rnd.nextDouble()) * UNIT);
      tape.add(before, jumpClose + 0.05 * UNIT * before, before - 0.05 * UNIT * before, jumpClose);
      for (; measured < tape.size; measured++) atr14.update(tape.high[measured], tape.low[measured], tape.close[measured]);
      double atr = atr14.value();
      // Plateau: quiet highs, lows about one ATR down.
      int plateauBars = 10 + rnd.nextInt(10);
      for (int i = 0; i < plateauBars; i++) {
        double open = tape.last, close = jumpClose - (i + 1) * 0.03 * atr + 0.05 * atr * gaussian(rnd);
        double high = Math.max(open, close) + 0.05 * atr * rnd.nextDouble();
        tape.add(open, high, high - (0.8 + 0.4 * rnd.nextDouble()) * atr, close);
      }
      // Rally: one bar's high reaches 4-4.5 ATR above the jump's close; it closes near its open.
      if (rnd.nextDouble() < 0.75) {
        double open = tape.last, close = open * (1 + 0.05 * UNIT * gaussian(rnd));
        double high = jumpClose + (PLANTED_TAKE_PROFIT_ATR + RALLY_SPREAD_ATR * rnd.nextDouble()) * atr;
        tape.add(open, high, Math.min(open, close) - 0.1 * atr, close);
      }
      // Drop: gap 2 ATR down. (The price drifts lower episode by episode; everything here is relative to it.)
      double open = tape.last - 2 * atr, close = open - 0.3 * atr;
      tape.add(open, open + 0.1 * atr, close - 0.1 * atr, close);
    }
    return tape.bars();
  }

  /**
   * About {@code episodes} × 148 hourly bars of base, entry, plateau with a spike, exit and drop, built
   * around EMA(PLANTED_FAST) and EMA(PLANTED_SLOW); see {@link #evolutionFindsThePlantedEmaPeriods}.
   */
  static BarArrays plantedCrosses(long seed, int episodes) {
    SplittableRandom rnd = new SplittableRandom(seed);
    CrossTape t = new CrossTape(PLANTED_FAST, PLANTED_SLOW, 100);
    for (int e = 0; e < episodes; e++) {
      // Base: the first one longer, so that every indicator is warm before the first entry. It goes on
      // until the gap is within 3 m below zero, so that the entry is one modest bar.
      int baseBars = (e == 0 ? 240 : 80) + rnd.nextInt(80);
      for (int i = 0; i < baseBars || t.gap() <= -3 * t.margin() || t.gap() >= 0; i++) {
        double c = t.tape.last * (1 + UNIT * (0.1 + 0.4 * gaussian(rnd)));
        t.ordinaryBar(rnd, Math.min(c, t.closeFor(-t.margin())));
      }
      // Entry: the planted pair crosses up.
      t.ordinaryBar(rnd, t.closeFor((1 + rnd.nextDouble()) * t.margin()));
      double entryClose = t.tape.last, atr = t.atr.value();
      // Plateau, the planted pair held crossed up; the spike on one of its first 8 bars.
      int spikeBar = 1 + rnd.nextInt(8), plateauBars = spikeBar + 5 + rnd.nextInt(11);
      for (int i = 1; i <= plateauBars; i++) {
        double open = t.tape.last, m = t.margin();
        double close = Math.min(Math.max(entryClose * (1 + 0.05 * UNIT * gaussian(rnd)), t.closeFor(m)), t.closeFor(4 * m));
        double high = i == spikeBar
            ? entryClose + (3 + 0.5 * rnd.nextDouble()) * atr
            : Math.max(open, close) + 0.05 * atr * rnd.nextDouble();
        t.add(open, high, Math.min(open, close) - (0.5 + 0.5 * rnd.nextDouble()) * atr, close);
      }
      // Exit: the planted pair crosses down. Drop: the next bar opens there and falls 1.5 ATR.
      double open = t.tape.last, close = t.closeFor(-(1 + rnd.nextDouble()) * t.margin());
      t.add(open, open + 0.05 * atr * rnd.nextDouble(), close - 0.2 * atr, close);
      open = close;
      close = open - (1.35 + 0.3 * rnd.nextDouble()) * atr;
      t.add(open, open + 0.05 * atr, close - 0.1 * atr, close);
    }
    return t.tape.bars();
  }

  /** One unit: 1 % of the price, the height of an ordinary bar. */
  private static final double UNIT = 0.01;

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd.nextDouble()))) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /**
   * A {@link Tape} that keeps, bar by bar, EMA(fast) and EMA(slow) of its closes with the strategy's own
   * {@link Ema}, and ATR(14), so that a close can be chosen for where it puts the gap between the EMAs.
   */
  private static final class CrossTape {
    final Tape tape;
    final Ema fast, slow;
    final Atr atr = new Atr(14);

    CrossTape(int fastPeriod, int slowPeriod, double firstPrice) {
      tape = new Tape(1024, firstPrice);
      fast = new Ema(fastPeriod);
      slow = new Ema(slowPeriod);
      add(firstPrice, firstPrice * (1 + 0.5 * UNIT), firstPrice * (1 - 0.5 * UNIT), firstPrice);
    }

    void add(double o, double h, double l, double c) {
      tape.add(o, h, l, c);
      fast.update(c);
      slow.update(c);
      atr.update(h, l, c);
    }

    void ordinaryBar(SplittableRandom rnd, double c) {
      tape.ordinaryBar(rnd, c);
      int i = tape.size - 1;
      fast.update(c);
      slow.update(c);
      atr.update(tape.high[i], tape.low[i], c);
    }

    /** EMA(fast) − EMA(slow) after the last bar. */
    double gap() {
      return fast.value() - slow.value();
    }

    /** The change in the gap that a one-bar move of 1/8 % of the price makes. */
    double margin() {
      return (fast.multiplier() - slow.multiplier()) * 0.125 * UNIT * tape.last;
    }

    /** The close of the next bar after which the gap is {@code gap} (the EMAs are linear in it). */
    double closeFor(double gap) {
      double a = fast.multiplier(), b = slow.multiplier();
      return (gap - (1 - a) * fast.value() + (1 - b) * slow.value()) / (a - b);
    }
  }

  /** Bars appended one at a time, each opening at the previous close unless given otherwise. */
  private static final class Tape {
    long[] time;
    double[] open, high, low, close;
    int size;
    double last;

    Tape(int capacity, double firstPrice) {
      time = new long[capacity];
      open = new double[capacity];
      high = new double[capacity];
      low = new double[capacity];
      close = new double[capacity];
      last = firstPrice;
    }

    void add(double o, double h, double l, double c) {
      if (size == time.length) {
        int n = 2 * size;
        time = Arrays.copyOf(time, n);
        open = Arrays.copyOf(open, n);
        high = Arrays.copyOf(high, n);
        low = Arrays.copyOf(low, n);
        close = Arrays.copyOf(close, n);
      }
      time[size] = 1_700_000_000_000L + size * 3_600_000L;
      open[size] = o;
      high[size] = h;
      low[size] = l;
      close[size] = c;
      size++;
      last = c;
    }

    /** From the last close to {@code c}, about one unit high in all (0.8-1.2), the rest split at random above and below. */
    void ordinaryBar(SplittableRandom rnd, double c) {
      double o = last, range = o * UNIT * (0.8 + 0.4 * rnd.nextDouble());
      double extra = Math.max(0, range - Math.abs(c - o)), above = extra * rnd.nextDouble();
      add(o, Math.max(o, c) + above, Math.min(o, c) - (extra - above), c);
    }

    BarArrays bars() {
      return BarArrays.of("PLANTED", "1h", Arrays.copyOf(time, size), Arrays.copyOf(open, size), Arrays.copyOf(high, size),
          Arrays.copyOf(low, size), Arrays.copyOf(close, size));
    }
  }
}
