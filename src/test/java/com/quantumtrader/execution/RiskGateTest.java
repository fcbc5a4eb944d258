package com.quantumtrader.execution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.execution.RiskGate.Admission;
import com.quantumtrader.execution.RiskGate.Book;
import com.quantumtrader.strategy.FillRules.Costs;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.execution.RiskGate.Signal;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.policy.RiskMode;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.Test;

public class RiskGateTest {
  private static final Costs COSTS = new Costs(0.001, 0.0005);
  private static final GlobalPolicy NORMAL = GlobalPolicy.initial(RiskMode.NORMAL, new Limits(0.65, 0.01, 10, 1.0));

  @Test
  public void sizesSoThatTheLossAtTheStopIsTheRiskBudget() {
    Admission a = RiskGate.admit(new Signal("trend-1", "BTCUSDT", Side.LONG, 0.8, 100, 95), NORMAL, new Book(100_000, 0, 0, false), COSTS);
    assertTrue(a.reason(), a.admitted());
    // Per unit: fill in 100.05, out 94.9525, fees 0.001 × 195.0025 → loss 5.0975 + 0.1950025 = 5.2925025.
    assertEquals(1_000 / 5.2925025, a.quantity(), 1e-6);
    assertEquals(1_000, a.riskAtStop(), 1e-6);
    assertEquals("sized by risk per trade", a.reason());
  }

  @Test
  public void aTightStopIsCappedByGrossExposure() {
    Admission a = RiskGate.admit(new Signal("trend-1", "BTCUSDT", Side.LONG, 0.8, 100, 99.9), NORMAL, new Book(100_000, 2, 60_000, false), COSTS);
    assertTrue(a.admitted());
    assertEquals("sized by gross exposure", a.reason());
    assertTrue(60_000 + a.quantity() * 100 * 1.0005 <= 100_000);
    // an all-cash book at 1x: the entry and its fee fit in the cash, which stays at or above 0
    Admission all = RiskGate.admit(new Signal("trend-1", "BTCUSDT", Side.LONG, 0.8, 100, 99.9), NORMAL, new Book(100_000, 0, 0, false), COSTS);
    assertEquals("sized by gross exposure", all.reason());
    double fill = 100 * 1.0005;
    assertTrue(all.quantity() * fill * (1 + 0.001) <= 100_000);
    assertTrue("no crumbs left either", all.quantity() * fill * (1 + 0.001) > 99_999);
  }

  /** A sliver of exposure room left (an operator saw a $0.19 position take a slot) opens nothing. */
  @Test
  public void aPositionUnderATenthOfAPercentOfEquityIsRefused() {
    Admission sliver = RiskGate.admit(new Signal("trend-1", "LTCUSDT", Side.LONG, 0.8, 100, 99.9), NORMAL,
        new Book(100_000, 3, 99_950, false), COSTS);
    assertFalse(sliver.admitted());
    assertTrue(sliver.reason(), sliver.reason().startsWith("position of 49.9") && sliver.reason().contains("gross-exposure limit")
        && sliver.reason().endsWith("under the minimum of 0.1 % of equity"));
    assertTrue(RiskGate.admit(new Signal("trend-1", "LTCUSDT", Side.LONG, 0.8, 100, 99.9), NORMAL,
        new Book(100_000, 3, 99_850, false), COSTS).admitted());
    // a small size the risk budget chose (a tiny risk per trade, a wide stop) is the trader's and stands
    GlobalPolicy tiny = GlobalPolicy.initial(RiskMode.NORMAL, new Limits(0.65, 0.00001, 10, 1.0));
    Admission small = RiskGate.admit(new Signal("trend-1", "LTCUSDT", Side.LONG, 0.8, 100, 95), tiny, new Book(100_000, 0, 0, false), COSTS);
    assertTrue(small.reason(), small.admitted());
    assertTrue(small.quantity() * 100 < 100);
  }

  @Test
  public void aConfidenceJustUnderTheMinimumSaysSoWithEnoughDigits() {
    assertEquals("confidence 0.6499 below the minimum 0.65",
        RiskGate.admit(new Signal("trend-1", "X", Side.LONG, 0.6499, 10, 9), NORMAL, new Book(1e5, 0, 0, false), COSTS).reason());
    assertEquals("confidence 0.50 below the minimum 0.65",
        RiskGate.admit(new Signal("trend-1", "X", Side.LONG, 0.5, 10, 9), NORMAL, new Book(1e5, 0, 0, false), COSTS).reason());
  }

  @Test
  public void refusesWhatThePolicyForbids() {
    GlobalPolicy p = NORMAL.withBlocked("bad").withAllowed("good").withSymbolBlocked("LUNAUSDT", true);
    Book book = new Book(100_000, 0, 0, false);
    assertEquals("strategy bad is blocked", RiskGate.admit(new Signal("bad", "X", Side.LONG, 0.9, 10, 9), p, book, COSTS).reason());
    assertEquals("strategy other is not on the allow list", RiskGate.admit(new Signal("other", "X", Side.LONG, 0.9, 10, 9), p, book, COSTS).reason());
    assertEquals("symbol LUNAUSDT is blocked", RiskGate.admit(new Signal("good", "LUNAUSDT", Side.LONG, 0.9, 10, 9), p, book, COSTS).reason());
    assertTrue(RiskGate.admit(new Signal("good", "X", Side.LONG, 0.5, 10, 9), p, book, COSTS).reason().startsWith("confidence 0.50 below"));
    assertEquals("already holding X", RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, 10, 9), p, new Book(1e5, 1, 10, true), COSTS).reason());
    assertEquals("open positions at the limit of 10", RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, 10, 9), p, new Book(1e5, 10, 10, false), COSTS).reason());
    assertEquals("stop is not on the losing side of the entry", RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, 10, 11), p, book, COSTS).reason());
    assertEquals("stop is not on the losing side of the entry", RiskGate.admit(new Signal("good", "X", Side.SHORT, 0.9, 10, 9), p, book, COSTS).reason());
    assertEquals("entry and stop must be positive prices", RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, Double.NaN, 9), p, book, COSTS).reason());
    assertEquals("no equity", RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, 10, 9), p, new Book(-5, 0, 0, false), COSTS).reason());
    assertFalse(RiskGate.admit(new Signal("good", "X", Side.LONG, 0.9, 10, 9), p, new Book(1e5, 0, 1e5, false), COSTS).admitted());
  }

  /**
   * Over thousands of random policies, books, prices and signals: no admitted order risks more than
   * max risk per trade of equity, breaks the position or exposure limits, or comes from a strategy
   * or symbol the policy does not permit, or has too little confidence.
   */
  @Test
  public void noAdmittedOrderEverBreaksThePolicy() {
    long seed = Long.getLong("qt.test.seed", System.nanoTime());
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> strategies = List.of("s0", "s1", "s2", "s3", "s4");
    List<String> symbols = List.of("A", "B", "C", "D");
    int admitted = 0;
    for (int i = 0; i < 20_000; i++) {
      Limits limits = new Limits(rnd.nextDouble(), 1e-4 + rnd.nextDouble() * (Limits.MAX_RISK_PER_TRADE - 1e-4),
          rnd.nextInt(0, 30), rnd.nextDouble() * Limits.MAX_GROSS_EXPOSURE);
      TreeSet<String> allowed = new TreeSet<>(), blocked = new TreeSet<>(), blockedSymbols = new TreeSet<>();
      for (String s : strategies) {
        double u = rnd.nextDouble();
        if (u < 0.2) blocked.add(s);
        else if (u < 0.4) allowed.add(s);
      }
      for (String s : symbols) if (rnd.nextDouble() < 0.2) blockedSymbols.add(s);
      if (rnd.nextDouble() < 0.5) allowed.clear(); // half the policies have no allow list
      GlobalPolicy p = new GlobalPolicy(RiskMode.values()[rnd.nextInt(3)], limits, allowed, blocked, blockedSymbols);
      double equity = rnd.nextDouble() < 0.02 ? -rnd.nextDouble() * 1e4 : Math.exp(rnd.nextDouble(5, 16));
      // Mostly books with room left, some at or past the limits.
      Book book = new Book(equity, rnd.nextInt(0, limits.maxOpenPositions() + 3),
          Math.max(0, equity) * limits.maxGrossExposure() * rnd.nextDouble() * 1.2, rnd.nextDouble() < 0.1);
      double entry = Math.exp(rnd.nextDouble(-5, 11));
      double stop = entry * (1 + (rnd.nextDouble() - 0.5) * (rnd.nextDouble() < 0.5 ? 0.002 : 0.4));
      Side side = rnd.nextBoolean() ? Side.LONG : Side.SHORT;
      Signal sig = new Signal(strategies.get(rnd.nextInt(strategies.size())), symbols.get(rnd.nextInt(symbols.size())),
          side, rnd.nextDouble(), entry, stop);
      Costs costs = new Costs(rnd.nextDouble() * 0.003, rnd.nextDouble() * 0.002);
      Admission a = RiskGate.admit(sig, p, book, costs);
      if (!a.admitted()) continue;
      admitted++;
      String ctx = "seed " + seed + " case " + i + ": " + sig + " " + p + " " + book + " -> " + a;
      double fillIn = side == Side.LONG ? entry * (1 + costs.slippage()) : entry * (1 - costs.slippage());
      double fillOut = side == Side.LONG ? stop * (1 - costs.slippage()) : stop * (1 + costs.slippage());
      double loss = a.quantity() * (Math.abs(fillIn - fillOut) + costs.feeRate() * (fillIn + fillOut));
      assertTrue(ctx, loss <= limits.maxRiskPerTrade() * equity * (1 + 1e-12));
      assertTrue(ctx, book.grossExposure() + a.quantity() * fillIn <= limits.maxGrossExposure() * equity * (1 + 1e-12));
      assertTrue(ctx, book.openPositions() + 1 <= limits.maxOpenPositions());
      assertTrue(ctx, p.permits(sig.strategyId()) && !blocked.contains(sig.strategyId()));
      assertTrue(ctx, p.permitsSymbol(sig.symbol()));
      assertTrue(ctx, sig.confidence() >= limits.minConfidence());
      assertTrue(ctx, a.quantity() > 0 && equity > 0);
    }
    assertTrue("seed " + seed + ": the generator admits a fair share (" + admitted + ")", admitted > 500);
  }
}
