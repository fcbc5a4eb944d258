package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.Test;

/** Hand-made cases: known signal bars, stops, warm-up, confidence bounds, parameter validation. */
public class SignalEngineTest {

  /** Closes 100 ×10, 90 ×10, 120 ×10, 80 ×10; each bar's high and low are close ± 1. */
  private static double[] stepCloses() {
    double[] c = new double[40];
    for (int i = 0; i < c.length; i++) c[i] = i < 10 ? 100 : i < 20 ? 90 : i < 30 ? 120 : 80;
    return c;
  }

  @Test
  public void emaCrossFiresOnTheBarOfTheJumpWithStopKAtrsBelowTheClose() {
    // fast 2, slow 4, ATR 3: flat at 100 (EMAs equal, no cross), down to 90 (fast below slow, not a
    // cross down: it never was above), up to 120 at bar 20 (fast 2/3 of the way, slow 2/5: crosses up),
    // down to 80 at bar 30 (crosses down).
    SignalEngine e = Template.TREND_EMA_CROSS.newEngine(new double[] {2, 4, 3, 1.5, 3});
    double[] c = stepCloses();
    double atr = 0, prevClose = 0;
    for (int i = 0; i < c.length; i++) {
      double h = c[i] + 1, l = c[i] - 1;
      double tr = i == 0 ? h - l : Math.max(h - l, Math.max(Math.abs(h - prevClose), Math.abs(prevClose - l)));
      atr = i == 0 ? tr : atr + (tr - atr) / 3;
      prevClose = c[i];
      int s = e.onBar(c[i], h, l, c[i]);
      int want = i == 20 ? SignalEngine.ENTER_LONG : i == 30 ? SignalEngine.EXIT_LONG : SignalEngine.NONE;
      assertEquals("bar " + i, want, s);
      assertEquals("atr at bar " + i, atr, e.atr(), 1e-12);
      if (i == 20) {
        assertEquals(120 - 1.5 * atr, e.stop(), 1e-12);
        assertEquals(120 + 3 * atr, e.takeProfit(), 1e-12);
        assertTrue(e.stop() < 120);
        assertTrue("confidence " + e.confidence(), e.confidence() > 0.5 && e.confidence() <= 1);
      }
    }
    assertEquals(40, e.bars());
  }

  @Test
  public void noTakeProfitWhenTakeProfitAtrIsZero() {
    SignalEngine e = Template.TREND_EMA_CROSS.newEngine(new double[] {2, 4, 3, 1.5, 0});
    double[] c = stepCloses();
    for (int i = 0; i <= 20; i++) e.onBar(c[i], c[i] + 1, c[i] - 1, c[i]);
    assertTrue(Double.isNaN(e.takeProfit()));
    assertFalse(Double.isNaN(e.stop()));
  }

  @Test
  public void noSignalBeforeWarmUpEvenWhenTheRuleHolds() {
    // Every bar of a steady rise breaks the previous highs, from the second bar on.
    SignalEngine e = Template.DONCHIAN_BREAKOUT.newEngine(new double[] {5, 3, 2, 2.0});
    assertEquals(5, e.warmUpBars());
    assertTrue(Double.isNaN(e.stop()));
    assertEquals(0, e.confidence(), 0);
    for (int i = 0; i < 12; i++) {
      double c = 100 + i;
      int s = e.onBar(c - 0.5, c + 0.2, c - 1, c);
      assertEquals("bar " + i, i < e.warmUpBars() ? SignalEngine.NONE : SignalEngine.ENTER_LONG, s);
    }
  }

  @Test
  public void warmUpIsTheLongestPeriodTheRuleNeeds() {
    assertEquals(26, Template.TREND_EMA_CROSS.newEngine(Template.TREND_EMA_CROSS.defaults()).warmUpBars());
    assertEquals(20, Template.DONCHIAN_BREAKOUT.newEngine(Template.DONCHIAN_BREAKOUT.defaults()).warmUpBars());
    assertEquals(20, Template.MEAN_REVERSION.newEngine(Template.MEAN_REVERSION.defaults()).warmUpBars());
    assertEquals(30, Template.TREND_EMA_CROSS.newEngine(new double[] {5, 10, 30, 2, 0}).warmUpBars());
  }

  @Test
  public void meanReversionEntersOnASharpDropAndTargetsTheMiddleBand() {
    SignalEngine e = Template.MEAN_REVERSION.newEngine(new double[] {5, 30, 10, 2.0, 2.0, 5});
    // a quiet market around 100: closes above the middle band give exits, never an entry
    for (int i = 0; i < 20; i++) assertNotEquals(SignalEngine.ENTER_LONG, e.onBar(100, 100.5, 99.5, 100 + (i % 2) * 0.2));
    assertEquals(SignalEngine.ENTER_LONG, e.onBar(100, 100, 94, 95));
    assertTrue(e.takeProfit() > 95 && e.takeProfit() < 100.2);
    assertTrue(e.stop() < 95);
    assertTrue("confidence " + e.confidence(), e.confidence() > 0.5 && e.confidence() <= 1);
  }

  @Test
  public void confidenceInUnitIntervalAndStopBelowCloseOnRandomWalks() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    try {
      for (int run = 0; run < 60; run++) {
        Template t = Template.values()[run % Template.values().length];
        double[] p = randomParams(t, r);
        SignalEngine e = t.newEngine(p);
        double c = 100;
        for (int i = 0; i < 2000; i++) {
          double o = c;
          c = Math.max(0.01, c * Math.exp(r.nextGaussian() * 0.01 * (1 + (i / 500) % 3)));
          double h = Math.max(o, c) * (1 + r.nextDouble() * 0.005), l = Math.min(o, c) * (1 - r.nextDouble() * 0.005);
          if (e.onBar(o, h, l, c) == SignalEngine.ENTER_LONG) {
            assertTrue(t + " confidence " + e.confidence(), e.confidence() >= 0 && e.confidence() <= 1);
            assertTrue(t + " stop " + e.stop() + " close " + c, e.stop() < c);
          }
        }
      }
    } catch (AssertionError err) {
      throw new AssertionError("seed " + seed + ": " + err.getMessage(), err);
    }
  }

  private static double[] randomParams(Template t, Random r) {
    for (;;) {
      double[] p = new double[t.params().size()];
      for (int i = 0; i < p.length; i++) {
        Template.Param q = t.params().get(i);
        double max = q.integer() ? Math.min(q.max(), 60) : q.max(); // keep periods short enough to signal
        double v = q.min() + r.nextDouble() * (max - q.min());
        p[i] = q.integer() ? Math.rint(v) : v;
      }
      try {
        t.validate(p);
        return p;
      } catch (IllegalArgumentException tooRestrictive) {
        // e.g. fast >= slow: draw again
      }
    }
  }

  @Test
  public void enginesDoNotAllocatePerBar() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (Template t : Template.values()) {
      SignalEngine e = t.newEngine(t.defaults());
      feed(e, 1000); // class loading and first calls allocate; not the steady state
      long before = threads.getCurrentThreadAllocatedBytes();
      feed(e, 100_000);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(t + " allocated " + allocated + " bytes over 100,000 bars", allocated < 10_000);
    }
  }

  private static void feed(SignalEngine e, int n) {
    for (int i = 0; i < n; i++) {
      double c = 100 + 10 * Math.sin(i / 7.0) + 3 * Math.sin(i / 1.3);
      e.onBar(c, c + 1, c - 1, c);
    }
  }

  @Test
  public void rejectsFastNotBelowSlowNamingBoth() {
    assertRejected(Template.TREND_EMA_CROSS, new double[] {26, 26, 14, 2, 0}, "fast (26) must be < slow (26)");
  }

  @Test
  public void rejectsOutOfRangeParamNamingItAndItsRange() {
    assertRejected(Template.MEAN_REVERSION, new double[] {14, 70, 20, 2, 2, 14}, "rsiEntry = 70 is outside [5, 50]");
    assertRejected(Template.DONCHIAN_BREAKOUT, new double[] {20, 10, 14, Double.NaN}, "stopAtr = NaN is outside");
  }

  @Test
  public void rejectsFractionalPeriodNamingIt() {
    assertRejected(Template.DONCHIAN_BREAKOUT, new double[] {20.5, 10, 14, 2}, "entryPeriod = 20.5 must be a whole number");
  }

  @Test
  public void rejectsWrongParamCountListingTheNames() {
    assertRejected(Template.DONCHIAN_BREAKOUT, new double[] {20, 10}, "[entryPeriod, exitPeriod, atrPeriod, stopAtr], got 2");
  }

  private static void assertRejected(Template t, double[] p, String message) {
    try {
      t.newEngine(p);
      fail("accepted " + java.util.Arrays.toString(p));
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(message));
      assertTrue(e.getMessage(), e.getMessage().startsWith(t.name()));
    }
    try {
      new StrategySpec("s1", t, p);
      fail("spec accepted " + java.util.Arrays.toString(p));
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(message));
    }
  }

  @Test
  public void specEqualityIsOverParamContentAndTheSpecCannotBeChangedThroughArrays() {
    double[] p = Template.DONCHIAN_BREAKOUT.defaults();
    StrategySpec a = new StrategySpec("breakout-1", Template.DONCHIAN_BREAKOUT, p);
    p[0] = 55;
    a.params()[1] = 99;
    StrategySpec b = StrategySpec.defaults("breakout-1", Template.DONCHIAN_BREAKOUT);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals("StrategySpec[id=breakout-1, template=DONCHIAN_BREAKOUT, params=[20.0, 10.0, 14.0, 2.0]]", a.toString());
    assertNotEquals(a, StrategySpec.defaults("breakout-2", Template.DONCHIAN_BREAKOUT));
    assertEquals(20, a.newEngine().warmUpBars());
  }

  @Test
  public void specRoundTripsThroughCbor() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    for (Template t : Template.values()) {
      StrategySpec s = new StrategySpec("id-" + t, t, t.defaults());
      byte[] bytes = cbor.writeValueAsBytes(s);
      assertEquals(s, cbor.readValue(bytes, StrategySpec.class));
    }
  }

  @Test
  public void rejectsBlankId() {
    try {
      StrategySpec.defaults(" ", Template.MEAN_REVERSION);
      fail();
    } catch (IllegalArgumentException e) {
      assertEquals("strategy id must not be blank", e.getMessage());
    }
  }
}
