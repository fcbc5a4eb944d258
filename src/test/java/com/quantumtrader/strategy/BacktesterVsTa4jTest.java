package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.indicators.Ta4jBars;
import com.quantumtrader.strategy.BacktestResult.Trade;
import com.quantumtrader.strategy.Backtester.Config;
import com.quantumtrader.strategy.FillRules.Costs;
import com.quantumtrader.strategy.Backtester.Sizing;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.ta4j.core.BaseStrategy;
import org.ta4j.core.Position;
import org.ta4j.core.Strategy;
import org.ta4j.core.TradingRecord;
import org.ta4j.core.analysis.cost.ZeroCostModel;
import org.ta4j.core.backtest.BarSeriesManager;
import org.ta4j.core.backtest.TradeOnNextOpenModel;

/**
 * Issue 6, item 2: for every template, our backtester's trade list equals ta4j 0.17's on real candles
 * (BTCUSDT-1h, ETHUSDT-5m, DHR-1d): the same entry and exit bar indices and the same prices, and the
 * same profit per trade.
 *
 * <p>What makes the two comparable:
 *
 * <ul>
 *   <li>ta4j runs {@code new BarSeriesManager(series, new ZeroCostModel(), new ZeroCostModel(), new
 *       TradeOnNextOpenModel())}: a signal on bar i trades at bar i+1's open, as our market orders do;
 *       a signal on the last bar does not trade in either.
 *   <li>The strategy is {@code new BaseStrategy(entry, exit, warmUpBars)} with the template's ta4j rules
 *       from {@link TemplatesVsTa4jRulesTest#reference} (already checked signal for signal there) and the
 *       engine's warm-up as ta4j's unstable bars.
 *   <li>Zero fees and slippage on our side ({@code Costs(0, 0)}), and a fixed quantity of 1 (ta4j's
 *       default amount).
 *   <li>Our protective stop and take-profit are not placed ({@code protectiveExits = false}): they fill
 *       inside a bar at their level, which ta4j's close-based {@code StopLossRule}/{@code StopGainRule}
 *       cannot express. Those fills are checked by hand in {@link BacktesterTest} and against the paper
 *       exchange in {@link BacktesterVsPaperExchangeTest}.
 * </ul>
 */
public class BacktesterVsTa4jTest {
  private static final String[] FILES = {"real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "equities/DHR-1d.csv"};
  static final Config COMPARABLE = new Config(10_000, new Costs(0, 0), Sizing.fixed(1), false);

  @Test
  public void trendEmaCrossTradesEqualTa4js() throws Exception {
    check(Template.TREND_EMA_CROSS, new double[] {12, 26, 14, 2.0, 0});
    check(Template.TREND_EMA_CROSS, new double[] {5, 50, 20, 1.5, 3});
  }

  @Test
  public void donchianBreakoutTradesEqualTa4js() throws Exception {
    check(Template.DONCHIAN_BREAKOUT, new double[] {20, 10, 14, 2.0});
    check(Template.DONCHIAN_BREAKOUT, new double[] {10, 30, 7, 3.0});
  }

  @Test
  public void meanReversionTradesEqualTa4js() throws Exception {
    check(Template.MEAN_REVERSION, new double[] {14, 30, 20, 2.0, 2.0, 14});
    check(Template.MEAN_REVERSION, new double[] {7, 40, 30, 1.5, 1.0, 10});
  }

  /** The ta4j strategy equal to {@code spec} on these bars (used by the benchmark too). */
  static Strategy ta4jStrategy(StrategySpec spec, Ta4jBars bars) {
    TemplatesVsTa4jRulesTest.Reference ref = TemplatesVsTa4jRulesTest.reference(spec.template(), spec.params(), bars.series);
    return new BaseStrategy(ref.entry(), ref.exit(), spec.newEngine().warmUpBars());
  }

  static TradingRecord ta4jRun(StrategySpec spec, Ta4jBars bars) {
    return new BarSeriesManager(bars.series, new ZeroCostModel(), new ZeroCostModel(), new TradeOnNextOpenModel())
        .run(ta4jStrategy(spec, bars));
  }

  private static void check(Template t, double[] p) throws Exception {
    StrategySpec spec = new StrategySpec("x", t, p);
    for (String file : FILES) {
      Ta4jBars bars = Ta4jBars.load(file);
      BacktestResult ours = new Backtester(COMPARABLE).run(spec, BarArrays.of(bars.bars));
      TradingRecord theirs = ta4jRun(spec, bars);
      List<Position> closed = theirs.getPositions();
      String at = t + Arrays.toString(p) + " " + file;
      assertTrue(at + ": no trades to compare", closed.size() > 0);
      assertEquals(at + " trade count", closed.size(), ours.trades().size());
      for (int k = 0; k < closed.size(); k++) {
        Position x = closed.get(k);
        Trade y = ours.trades().get(k);
        String tk = at + " trade " + k;
        assertEquals(tk + " entry bar", x.getEntry().getIndex(), y.entryBar());
        assertEquals(tk + " exit bar", x.getExit().getIndex(), y.exitBar());
        assertEquals(tk + " entry price", x.getEntry().getPricePerAsset().doubleValue(), y.entryPrice(), 0.0);
        assertEquals(tk + " exit price", x.getExit().getPricePerAsset().doubleValue(), y.exitPrice(), 0.0);
        assertEquals(tk + " profit", x.getProfit().doubleValue(), y.pnl(), 1e-9 * Math.abs(y.entryPrice()));
        assertEquals(tk + " kind", BacktestResult.ExitKind.SIGNAL, y.exitKind());
      }
      assertEquals(at + " position open at the end", theirs.getCurrentPosition().isOpened(), ours.openAtEnd());
    }
  }
}
