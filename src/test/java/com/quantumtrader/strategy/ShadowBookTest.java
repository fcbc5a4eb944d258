package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.junit.Test;

/**
 * A strategy's shadow book, fed bar by bar as the live orchestrator feeds it, trades exactly as the
 * backtester does on the same bars (one symbol): same trades, same PnL.
 */
public class ShadowBookTest {
  @Test
  public void aShadowBookFedBarByBarEqualsTheBacktesterOnRealCandles() throws Exception {
    BarArrays bars = BarArrays.loadOne(Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI()));
    Backtester.Config config = Backtester.Config.defaults();
    for (Template t : Template.values()) {
      StrategySpec spec = StrategySpec.defaults("s", t);
      BacktestResult expected = new Backtester(config).run(spec, bars);
      ShadowBook book = new ShadowBook(config);
      SignalEngine engine = spec.newEngine();
      for (int i = 0; i < bars.size(); i++) {
        int signal = engine.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
        book.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine);
      }
      double pnl = 0;
      for (BacktestResult.Trade tr : expected.trades()) pnl += tr.pnl();
      assertTrue(t + ": the comparison needs trades", expected.trades().size() > 3);
      assertEquals(t + " trades", expected.trades().size(), book.trades());
      assertEquals(t + " PnL", pnl, book.equity() - config.initialEquity(), 1e-6);
      TrackRecord r = book.record();
      assertEquals(book.trades(), r.trades());
      assertTrue(r.days() > 0 && r.maxDrawdown() >= 0);
    }
  }
}
