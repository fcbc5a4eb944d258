package com.quantumtrader.analytics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Each metric against values computed by hand. */
public class MetricsTest {
  private static final double E = 1e-12;
  // 100 -> 110 -> 99 -> 108.9 -> 108.9
  private static final double[] CURVE = {100, 110, 99, 108.9, 108.9};

  @Test
  public void returnsAndTotalReturn() {
    assertArrayEquals(new double[] {0.10, -0.10, 0.10, 0.0}, Metrics.returns(CURVE), E);
    assertEquals(0.089, Metrics.totalReturn(CURVE), E);
    assertEquals(0, Metrics.returns(new double[] {5}).length);
  }

  @Test
  public void sharpeIsAnnualizedMeanOverSampleDeviation() {
    double[] r = {0.10, -0.10, 0.10, 0.0};
    // mean 0.025; deviations 0.075, -0.125, 0.075, -0.025; squares sum 0.0275; / 3 → sd = 0.0957427...
    double sd = Math.sqrt(0.0275 / 3);
    assertEquals(sd, Metrics.stdDev(r), E);
    assertEquals(0.025 / sd * Math.sqrt(252), Metrics.sharpe(r, 252), 1e-9);
    assertTrue(Double.isNaN(Metrics.sharpe(new double[] {0.01, 0.01, 0.01}, 252)));
  }

  @Test
  public void sortinoUsesOnlyTheDownside() {
    double[] r = {0.10, -0.10, 0.10, 0.0};
    // downside: sqrt(0.01 / 4) = 0.05 → 0.025 / 0.05 = 0.5 per period
    assertEquals(0.5 * Math.sqrt(12), Metrics.sortino(r, 12), 1e-12);
    assertTrue(Double.isNaN(Metrics.sortino(new double[] {0.01, 0.02}, 12)));
  }

  @Test
  public void maxDrawdownIsTheDeepestFallFromAPeak() {
    assertEquals(0.10, Metrics.maxDrawdown(CURVE), E); // 110 -> 99
    assertEquals(0.5, Metrics.maxDrawdown(new double[] {100, 120, 60, 130, 70}), 1e-12); // 120 -> 60 beats 130 -> 70 (0.4615)
    assertEquals(0, Metrics.maxDrawdown(new double[] {1, 2, 3}), E);
  }

  @Test
  public void tradeStatistics() {
    double[] pnl = {50, -20, 30, -10, 0};
    assertEquals(0.4, Metrics.winRate(pnl), E);
    assertEquals(80.0 / 30.0, Metrics.profitFactor(pnl), E);
    assertTrue(Double.isNaN(Metrics.winRate(new double[0])));
    assertTrue(Double.isNaN(Metrics.profitFactor(new double[] {5, 6})));
    assertEquals(0.75, Metrics.exposure(new boolean[] {true, false, true, true}), E);
  }

  @Test
  public void curveStatsAreBitForBitTheSeparateFunctions() {
    long seed = 99;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int k = 0; k < 200; k++) {
      int n = rnd.nextInt(0, 400);
      double[] e = new double[n];
      double v = 100;
      for (int i = 0; i < n; i++) {
        v *= 1 + (rnd.nextDouble() - 0.5) * 0.05 * (rnd.nextInt(5) == 0 ? 0 : 1); // flat stretches too
        e[i] = v;
      }
      double[] r = Metrics.returns(e);
      Metrics.CurveStats c = Metrics.curveStats(e, n, new double[Math.max(1, n)], 8766);
      String at = "seed " + seed + ", curve " + k;
      assertEquals(at, Metrics.totalReturn(e), c.totalReturn(), 0);
      assertEquals(at, Metrics.sharpe(r, 8766), c.sharpe(), 0);
      assertEquals(at, Metrics.sortino(r, 8766), c.sortino(), 0);
      assertEquals(at, Metrics.maxDrawdown(e), c.maxDrawdown(), 0);
      // the same curve without its repeated points (as the backtester hands it over): the same figures
      double[] moved = new double[n];
      int points = 0;
      for (int i = 0; i < n; i++) if (points == 0 || e[i] != moved[points - 1]) moved[points++] = e[i];
      assertEquals(at, c, Metrics.curveStats(moved, points, n, new double[Math.max(1, n)], 8766));
    }
  }

  @Test
  public void curveStatsAreTheSeparateFunctionsOnOddCurvesToo() {
    // returns of -1, +infinity, NaN, -0.0 and exactly 0, and a negative equity: the one-pass downside
    // (branch-free) must still give the separate functions' doubles
    double[][] curves = {
      {100, 0, 0, 50, 60},
      {100, 100, 100, 100},
      {100, -50, -25, 10, -10},
      {100, Double.NaN, 100, 90},
      {100, Double.POSITIVE_INFINITY, 100, 90},
      {-0.0, 0.0, -0.0, 1, 0.5},
      {100, 90, 80, 70, 60, 50},
      {100, 100 * (1 + Math.ulp(1.0)), 100, 99},
    };
    for (int k = 0; k < curves.length; k++) {
      double[] e = curves[k];
      double[] r = Metrics.returns(e);
      Metrics.CurveStats c = Metrics.curveStats(e, e.length, new double[e.length], 252);
      String at = "curve " + k + " " + java.util.Arrays.toString(e);
      assertEquals(at, Metrics.sharpe(r, 252), c.sharpe(), 0);
      assertEquals(at, Metrics.sortino(r, 252), c.sortino(), 0);
      assertEquals(at, Metrics.maxDrawdown(e), c.maxDrawdown(), 0);
    }
  }
}
