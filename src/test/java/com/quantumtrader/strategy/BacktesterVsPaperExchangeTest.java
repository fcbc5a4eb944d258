package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.execution.ExchangeGateway.Execution;
import com.quantumtrader.execution.Order;
import com.quantumtrader.execution.PaperExchange;
import com.quantumtrader.execution.Portfolio;
import com.quantumtrader.execution.Position;
import com.quantumtrader.strategy.BacktestResult.Trade;
import com.quantumtrader.strategy.Backtester.Config;
import com.quantumtrader.strategy.FillRules.Costs;
import com.quantumtrader.strategy.Backtester.Sizing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.Test;

/**
 * The backtester and the paper exchange fill alike: the same real bars and the same engine's signals,
 * acted on the way the orchestrator does (enter when flat, exit when long, one order at a time), go
 * through {@link PaperExchange#onBar} with a book kept here; every fill (time, price, fee, kind)
 * equals the backtester's. Stops, take-profits, fees and slippage are all on.
 */
public class BacktesterVsPaperExchangeTest {
  private static final double FEE = 0.001, SLIP = 0.0005;

  @Test
  public void backtesterFillsEqualThePaperExchangesOnRealBars() throws Exception {
    int stops = 0, tps = 0, signals = 0;
    for (StrategySpec spec : List.of(new StrategySpec("t", Template.TREND_EMA_CROSS, new double[] {12, 26, 14, 1.5, 3}),
        StrategySpec.defaults("m", Template.MEAN_REVERSION), StrategySpec.defaults("d", Template.DONCHIAN_BREAKOUT))) {
      BarArrays b = BacktesterTest.real("real/BTCUSDT-1h.csv");
      List<Trade> ours = new Backtester(new Config(10_000, new Costs(FEE, SLIP), Sizing.fixed(1), true)).run(spec, b).trades();
      List<double[]> theirs = paper(spec, b); // {entryTime, entryPrice, entryFee, exitTime, exitPrice, exitFee, kind}
      assertEquals(spec.id() + " trades", theirs.size(), ours.size());
      assertTrue(ours.size() > 0);
      for (int k = 0; k < ours.size(); k++) {
        Trade t = ours.get(k);
        double[] x = theirs.get(k);
        String at = spec.id() + " trade " + k;
        assertEquals(at, (long) x[0], t.entryTime());
        assertEquals(at, x[1], t.entryPrice(), 0);
        assertEquals(at, (long) x[3], t.exitTime());
        assertEquals(at, x[4], t.exitPrice(), 0);
        assertEquals(at, x[2] + x[5], t.fees(), 0);
        assertEquals(at, (int) x[6], t.exitKind().ordinal());
        switch (t.exitKind()) {
          case STOP -> stops++;
          case TAKE_PROFIT -> tps++;
          case SIGNAL -> signals++;
        }
      }
    }
    assertTrue("stops " + stops + ", take-profits " + tps + ", signal exits " + signals, stops > 0 && tps > 0 && signals > 0);
  }

  /** The paper exchange driven bar by bar; the book is rebuilt from its executions. */
  private static List<double[]> paper(StrategySpec spec, BarArrays b) {
    PaperExchange ex = new PaperExchange(FEE, SLIP);
    SignalEngine e = spec.newEngine();
    TreeMap<String, Position> positions = new TreeMap<>();
    TreeMap<String, Order> working = new TreeMap<>();
    List<double[]> out = new ArrayList<>();
    double[] open = null;
    for (int i = 0; i < b.size(); i++) {
      long t = b.openTime(i);
      Portfolio book = new Portfolio(true, 10_000, 10_000, 0, 0, 0, 0, positions, working, Long.MIN_VALUE, 0);
      Order w = working.isEmpty() ? null : working.firstEntry().getValue();
      for (Execution x : ex.onBar(book, "S", t, b.open(i), b.high(i), b.low(i), b.close(i))) {
        if (x.kind() == Execution.Kind.ENTRY) {
          positions.put("S", new Position("S", spec.id(), Side.LONG, w.quantity(), x.price(), x.fee(), w.stop(), w.takeProfit(), t,
              w.orderId()));
          open = new double[] {t, x.price(), x.fee(), 0, 0, 0, 0};
        } else {
          positions.clear();
          open[3] = t;
          open[4] = x.price();
          open[5] = x.fee();
          open[6] = x.exitKind() == null ? 0 : x.exitKind() == FillRules.ExitKind.STOP ? 1 : 2;
          out.add(open);
        }
      }
      if (w != null && w.afterTime() < t) working.clear();
      int s = e.onBar(b.open(i), b.high(i), b.low(i), b.close(i));
      if (s == SignalEngine.ENTER_LONG && positions.isEmpty() && working.isEmpty()) {
        working.put("o" + i, new Order("o" + i, spec.id(), "S", Side.LONG, Order.Intent.OPEN, 1, e.stop(), e.takeProfit(), t, 1, 0, "test"));
      } else if (s == SignalEngine.EXIT_LONG && !positions.isEmpty() && working.isEmpty()) {
        working.put("x" + i, new Order("x" + i, spec.id(), "S", Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, t, 0, 0, "test"));
      }
    }
    return out;
  }
}
