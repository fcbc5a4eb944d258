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
  /**
   * With the NORMAL policy's minimum confidence and without one: both take the same entries, so that a
   * shadow record judges the trades the risk gate would let through.
   */
  @Test
  public void aShadowBookFedBarByBarEqualsTheBacktesterOnRealCandles() throws Exception {
    BarArrays bars = BarArrays.loadOne(Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI()));
    int gatedOut = 0;
    for (Backtester.Config config : java.util.List.of(Backtester.Config.defaults(), Backtester.Config.defaults().withMinConfidence(0))) {
      for (Template t : Template.values()) {
        int trades = sameAsTheBacktester(bars, config, t);
        if (config.minConfidence() > 0) gatedOut -= trades;
        else gatedOut += trades;
      }
    }
    assertTrue("the minimum confidence left out no trade", gatedOut > 0);
  }

  private static int sameAsTheBacktester(BarArrays bars, Backtester.Config config, Template t) {
    StrategySpec spec = StrategySpec.defaults("s", t);
    BacktestResult expected = new Backtester(config).run(spec, bars);
    ShadowBook book = new ShadowBook(config);
    SignalEngine engine = spec.newEngine();
    for (int i = 0; i < bars.size(); i++) {
      int signal = engine.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
      book.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine,
          config.minConfidence());
    }
    double pnl = 0;
    for (BacktestResult.Trade tr : expected.trades()) pnl += tr.pnl();
    assertTrue(t + ": the comparison needs trades", expected.trades().size() > 3);
    assertEquals(t + " trades", expected.trades().size(), book.trades());
    assertEquals(t + " PnL", pnl, book.equity() - config.initialEquity(), 1e-6);
    TrackRecord r = book.record();
    assertEquals(book.trades(), r.trades());
    assertTrue(r.days() > 0 && r.maxDrawdown() >= 0);
    return book.trades();
  }

  /**
   * The record's Sharpe is of the daily returns of the marked equity, annualized by the days observed
   * a year, as analytics computes the fund's ({@code Metrics.sharpe} over the day-end equities taken
   * here on the side): not of per-trade returns, where two stop-outs of nearly the same size gave
   * -23,448. NaN before two whole days.
   */
  @Test
  public void theSharpeIsOfDailyReturnsOfTheMarkedEquity() throws Exception {
    BarArrays bars = BarArrays.loadOne(Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI()));
    Backtester.Config config = Backtester.Config.defaults().withMinConfidence(0);
    ShadowBook book = new ShadowBook(config);
    SignalEngine engine = StrategySpec.defaults("s", Template.TREND_EMA_CROSS).newEngine();
    java.util.List<Double> dayEnds = new java.util.ArrayList<>();
    long day = Long.MIN_VALUE, firstDay = 0;
    for (int i = 0; i < bars.size(); i++) {
      long d = Math.floorDiv(bars.openTime(i), 86_400_000L);
      if (d != day) {
        if (day == Long.MIN_VALUE) firstDay = d;
        dayEnds.add(book.markedEquity()); // the equity the new day begins with: the day before's end
        day = d;
      }
      if (i == 30) assertTrue("before two whole days: " + book.record(), Double.isNaN(book.record().sharpe()));
      int signal = engine.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
      book.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine, 0);
    }
    double[] returns = new double[dayEnds.size() - 1];
    for (int k = 1; k < dayEnds.size(); k++) returns[k - 1] = dayEnds.get(k) / dayEnds.get(k - 1) - 1;
    double expected = com.quantumtrader.analytics.Metrics.sharpe(returns, returns.length / ((day - firstDay) / 365.25));
    assertTrue(book.trades() + " trades", book.trades() > 3);
    assertEquals(expected, book.record().sharpe(), 1e-9 * Math.abs(expected));
    // the return is of the marked equity too, an open position's gain or loss included: stopped while holding
    ShadowBook holding = new ShadowBook(config);
    SignalEngine again = StrategySpec.defaults("s", Template.TREND_EMA_CROSS).newEngine();
    for (int i = 0; i < bars.size(); i++) {
      int signal = again.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
      holding.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, again, 0);
      if (i > bars.size() / 2 && holding(holding, bars.symbol) && holding.markedEquity() != holding.equity()) break;
    }
    assertTrue("stopped while holding", holding(holding, bars.symbol));
    assertEquals(holding.markedEquity() / config.initialEquity() - 1, holding.record().totalReturn(), 1e-12);
    assertTrue("a Sharpe of daily returns is of the size a desk reads: " + expected, Math.abs(expected) < 10);
  }

  /**
   * A book resumed from its figures goes on exactly as the book it was taken from, whether it was
   * taken while flat, while holding a position, or with an entry ordered and not filled yet: what a
   * restarted orchestrator relies on. Same closed trades, same doubles.
   */
  @Test
  public void aBookResumedFromItsFiguresGoesOnAsTheOriginal() throws Exception {
    BarArrays bars = BarArrays.loadOne(Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI()));
    resumeAndCompare(bars, "flat", (book, signal) -> signal == SignalEngine.NONE && !book.busy(bars.symbol));
    resumeAndCompare(bars, "holding", (book, signal) -> signal == SignalEngine.NONE && holding(book, bars.symbol));
    resumeAndCompare(bars, "entry ordered", (book, signal) -> ordered(book, bars.symbol));
  }

  private static void resumeAndCompare(BarArrays bars, String when, java.util.function.BiPredicate<ShadowBook, Integer> resumeHere)
      throws Exception {
    Backtester.Config config = Backtester.Config.defaults();
    StrategySpec spec = StrategySpec.defaults("s", Template.TREND_EMA_CROSS);
    ShadowBook whole = new ShadowBook(config);
    SignalEngine engine = spec.newEngine();
    ShadowBook resumed = null;
    int resumedAt = -1, tradesAtResume = 0;
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < bars.size(); i++) {
      int signal = engine.onBar(bars.open(i), bars.high(i), bars.low(i), bars.close(i));
      whole.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine,
          config.minConfidence());
      if (resumed != null) {
        resumed.onBar(bars.symbol, bars.openTime(i), bars.open(i), bars.high(i), bars.low(i), bars.close(i), signal, engine,
            config.minConfidence());
      } else if (i > bars.size() / 2 && whole.trades() > 3 && resumeHere.test(whole, signal)) {
        // through JSON and back, as the figures travel to the registry and its journal
        ShadowBook.State state = json.readValue(json.writeValueAsString(whole.state()), ShadowBook.State.class);
        assertEquals(when, whole.state(), state);
        resumed = ShadowBook.resume(config, state);
        assertEquals(when + ": resumed as taken", whole.state(), resumed.state());
        resumedAt = i;
        tradesAtResume = whole.trades();
      }
    }
    assertTrue(when + ": found a bar to resume at", resumedAt > 0);
    assertTrue(when + ": trades after the resume", whole.trades() > tradesAtResume + 1);
    assertEquals(when, whole.state(), resumed.state());
    assertEquals(when, whole.record(), resumed.record());
  }

  private static boolean holding(ShadowBook book, String symbol) {
    return book.state().positions().stream().anyMatch(p -> p.symbol().equals(symbol) && p.qty() > 0 && p.pending() == 0);
  }

  private static boolean ordered(ShadowBook book, String symbol) {
    return book.state().positions().stream().anyMatch(p -> p.symbol().equals(symbol) && p.pending() == 1);
  }

  /** Feeds one bar (open = close, high/low ±1) with the scripted engine's next signal. */
  private static void bar(ShadowBook book, String symbol, BacktesterTest.Scripted engine, long t, double price) {
    int signal = engine.onBar(price, price + 1, price - 1, price);
    book.onBar(symbol, t, price, price + 1, price - 1, price, signal, engine, 0);
  }

  private static final int E = SignalEngine.ENTER_LONG, X = SignalEngine.EXIT_LONG, N = SignalEngine.NONE;

  /** Two symbols entering together share the exposure limit (1x equity here), as the risk gate's sizing does. */
  @Test
  public void entriesOnSeveralSymbolsShareTheExposureLimit() {
    Backtester.Config config = new Backtester.Config(100_000, new FillRules.Costs(0, 0), Backtester.Sizing.risk(0.02, 1.0, 1000), true);
    ShadowBook book = new ShadowBook(config);
    double[] stops = {97, 97, 97, 97}, tps = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    BacktesterTest.Scripted a = new BacktesterTest.Scripted(new int[] {E, N, X, N}, stops, tps);
    BacktesterTest.Scripted b = new BacktesterTest.Scripted(new int[] {E, N, X, N}, stops, tps);
    double[] prices = {100, 100, 105, 110};
    for (int k = 0; k < prices.length; k++) {
      bar(book, "AAA", a, k * 3_600_000L, prices[k]);
      bar(book, "BBB", b, k * 3_600_000L, prices[k]);
    }
    // AAA: 2,000 at risk over 3 a unit = 666.67 units (66,667 of exposure); BBB: the 33,333 left = 333.33
    // units; both sold at 110: +10 a unit
    assertEquals(2, book.trades());
    assertEquals(10_000, book.equity() - 100_000, 0.01);
  }

  /** An open position's loss is in the drawdown before the position is closed. */
  @Test
  public void anOpenLossCountsInTheDrawdown() {
    Backtester.Config config = new Backtester.Config(100_000, new FillRules.Costs(0, 0), Backtester.Sizing.risk(0.02, 1.0, 1000), true);
    ShadowBook book = new ShadowBook(config);
    BacktesterTest.Scripted e = new BacktesterTest.Scripted(new int[] {E, N, N}, new double[] {50, 50, 50},
        new double[] {Double.NaN, Double.NaN, Double.NaN});
    bar(book, "AAA", e, 0, 100);
    bar(book, "AAA", e, 3_600_000L, 100); // 40 units bought at 100 (2,000 at risk over 50 a unit)
    bar(book, "AAA", e, 7_200_000L, 70); // 1,200 down, open
    assertEquals(0, book.trades());
    assertEquals(1_200 / 100_000.0, book.record().maxDrawdown(), 1e-9);
    assertEquals(98_800, book.markedEquity(), 1e-3); // sizing stays a hair under its bound
    assertEquals(100_000, book.equity(), 0);
  }
}
