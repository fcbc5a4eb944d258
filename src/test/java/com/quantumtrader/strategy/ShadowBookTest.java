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

  /**
   * A book resumed from its figures, taken while it was flat with nothing ordered, goes on exactly as
   * the book it was taken from: what a restarted orchestrator relies on.
   */
  @Test
  public void aBookResumedFromItsFiguresGoesOnAsTheOriginal() throws Exception {
    BarArrays bars = BarArrays.loadOne(Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI()));
    Backtester.Config config = Backtester.Config.defaults();
    StrategySpec spec = StrategySpec.defaults("s", Template.TREND_EMA_CROSS);
    ShadowBook whole = new ShadowBook(config);
    SignalEngine engine = spec.newEngine();
    ShadowBook resumed = null;
    int resumedAt = -1, tradesAtResume = 0;
    for (int i = 0; i < bars.size(); i++) {
      int signal = engine.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
      whole.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine);
      if (resumed != null) {
        resumed.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine);
      } else if (i > bars.size() / 2 && signal == SignalEngine.NONE && whole.trades() > 3 && flat(whole, bars.symbol)) {
        // through JSON and back, as the figures travel to the registry and its journal
        ShadowBook.State state = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(whole.state()), ShadowBook.State.class);
        resumed = ShadowBook.resume(config, state);
        resumedAt = i;
        tradesAtResume = whole.trades();
      }
    }
    assertTrue("found a flat bar to resume at", resumedAt > 0);
    assertTrue("trades after the resume", whole.trades() > tradesAtResume);
    assertEquals(whole.state(), resumed.state());
    assertEquals(whole.record(), resumed.record());
  }

  private static boolean flat(ShadowBook book, String symbol) {
    return !book.busy(symbol);
  }
}
