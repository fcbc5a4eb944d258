package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class SyntheticMarketTest {

  @Test
  public void theSameSeedGivesTheSameBars() {
    List<Bar> a = take(new SyntheticMarket(7, 20, "1h", 0, 500), 10_000);
    List<Bar> b = take(new SyntheticMarket(7, 20, "1h", 0, 500), 10_000);
    assertEquals(a, b);
    assertTrue(!a.equals(take(new SyntheticMarket(8, 20, "1h", 0, 500), 10_000)));
  }

  @Test
  public void everyBarIsValidAndInTimeOrderPerSymbol() {
    SyntheticMarket m = new SyntheticMarket(11, 50, "1h", 1_700_000_000_000L, 2_000);
    java.util.Map<String, BarValidator> v = new java.util.HashMap<>();
    long n = 0;
    for (Bar b; (b = m.next()) != null; n++) {
      assertNull(b.toString(), v.computeIfAbsent(b.symbol(), s -> new BarValidator()).check(b));
    }
    assertEquals(50L * 2_000, n);
  }

  @Test
  public void visitsEveryRegimeAndAForcedCrashFallsTheMarket() {
    SyntheticMarket m = new SyntheticMarket(3, 30, "1h", 0, Long.MAX_VALUE);
    Set<SyntheticMarket.Regime> seen = EnumSet.noneOf(SyntheticMarket.Regime.class);
    for (int i = 0; i < 30 * 20_000; i++) {
      m.next();
      seen.add(m.regime());
    }
    assertEquals(EnumSet.allOf(SyntheticMarket.Regime.class), seen);

    double before = equalWeightIndex(m, 30);
    m.force(SyntheticMarket.Regime.CRASH);
    double after = 0;
    for (int step = 0; step < 48; step++) after = equalWeightIndex(m, 30);
    assertTrue("a forced 48-hour crash drops the market: " + before + " -> " + after, after < before * 0.85);
  }

  /** Advances one time step and returns the mean log close. */
  private static double equalWeightIndex(SyntheticMarket m, int symbols) {
    double s = 0;
    for (int i = 0; i < symbols; i++) s += Math.log(m.next().close());
    return Math.exp(s / symbols);
  }

  private static List<Bar> take(SyntheticMarket m, int n) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(m.next());
    return out;
  }
}
