package com.quantumtrader.strategy;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.execution.RiskGate;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.strategy.BacktestResult.ExitKind;
import com.quantumtrader.strategy.BacktestResult.Trade;
import com.quantumtrader.strategy.Backtester.Config;
import com.quantumtrader.strategy.FillRules.Costs;
import com.quantumtrader.strategy.Backtester.Sizing;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** Hand-checked fills, sizing, determinism, the fast path, portfolio and walk-forward. */
public class BacktesterTest {
  private static final double NONE = Double.NaN;

  /** An engine that plays back a script: a signal, stop and take-profit per bar. */
  static final class Scripted implements SignalEngine {
    private final int[] signals;
    private final double[] stops, tps, confidences;
    private long bars;

    /** Every entry at confidence 1. */
    Scripted(int[] signals, double[] stops, double[] tps) {
      this(signals, stops, tps, null);
    }

    /** Each entry at its bar's confidence. */
    Scripted(int[] signals, double[] stops, double[] tps, double[] confidences) {
      this.signals = signals;
      this.stops = stops;
      this.tps = tps;
      this.confidences = confidences;
    }

    @Override
    public int onBar(double open, double high, double low, double close) {
      return signals[(int) bars++];
    }

    @Override
    public double confidence() {
      return confidences == null ? 1 : confidences[(int) bars - 1];
    }

    @Override
    public double stop() {
      return stops[(int) bars - 1];
    }

    @Override
    public double takeProfit() {
      return tps[(int) bars - 1];
    }

    @Override
    public double atr() {
      return NONE;
    }

    @Override
    public long bars() {
      return bars;
    }

    @Override
    public int warmUpBars() {
      return 0;
    }
  }

  /** Bars from rows of {open, high, low, close}, an hour apart. */
  static BarArrays bars(double[]... ohlc) {
    int n = ohlc.length;
    long[] t = new long[n];
    double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = 1_700_000_000_000L + i * 3_600_000L;
      o[i] = ohlc[i][0];
      h[i] = ohlc[i][1];
      l[i] = ohlc[i][2];
      c[i] = ohlc[i][3];
    }
    return BarArrays.of("TEST", "1h", t, o, h, l, c);
  }

  private static BacktestResult script(Config cfg, BarArrays b, int[] signals, double stop, double tp) {
    double[] stops = new double[signals.length], tps = new double[signals.length];
    java.util.Arrays.fill(stops, stop);
    java.util.Arrays.fill(tps, tp);
    return new Backtester(cfg).run("s", new Scripted(signals, stops, tps), b, 0);
  }

  private static Config fixed(double qty, double fee, double slip) {
    return new Config(10_000, new Costs(fee, slip), Sizing.fixed(qty), true);
  }

  private static final int E = SignalEngine.ENTER_LONG, X = SignalEngine.EXIT_LONG, N = SignalEngine.NONE;

  @Test
  public void entersAtTheNextOpenWithSlippageAndExitsAtTheOpenAfterTheExitSignalPayingBothFees() {
    BarArrays b = bars(new double[] {100, 101, 99, 100}, new double[] {110, 112, 108, 111}, new double[] {111, 115, 110, 114},
        new double[] {120, 121, 119, 120});
    BacktestResult r = script(fixed(2, 0.001, 0.01), b, new int[] {E, N, X, N}, 50, NONE);
    assertEquals(1, r.trades().size());
    Trade t = r.trades().get(0);
    assertEquals(1, t.entryBar());
    assertEquals(3, t.exitBar());
    assertEquals(110 * 1.01, t.entryPrice(), 1e-12);
    assertEquals(120 * 0.99, t.exitPrice(), 1e-12);
    double fees = 0.001 * 2 * 111.1 + 0.001 * 2 * 118.8;
    assertEquals(fees, t.fees(), 1e-12);
    assertEquals((118.8 - 111.1) * 2 - fees, t.pnl(), 1e-9);
    assertEquals(ExitKind.SIGNAL, t.exitKind());
    // Marked at the close: bar 1 holds 2 units bought at 111.1 plus the entry fee.
    assertEquals(10_000 - 2 * 111.1 - 0.001 * 2 * 111.1 + 2 * 111, r.equity()[1], 1e-9);
    assertEquals(10_000 + t.pnl(), r.equity()[3], 1e-9);
    assertFalse(r.openAtEnd());
  }

  /**
   * An entry below the minimum confidence is not taken, as the risk gate refuses it: the first entry
   * signal (0.6 < 0.65) is passed over, the second (exactly 0.65) is taken (filled at bar 4, out at
   * bar 5); with a minimum of 0 both are.
   */
  @Test
  public void anEntryBelowTheMinimumConfidenceIsNotTaken() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {100, 102, 98, 100},
        new double[] {100, 103, 97, 100}, new double[] {100, 104, 96, 100}, new double[] {100, 105, 95, 100});
    int[] signals = {E, N, X, E, X, N};
    double[] stops = new double[6], tps = new double[6];
    java.util.Arrays.fill(stops, 50);
    java.util.Arrays.fill(tps, NONE);
    double[] confidences = {0.6, 0, 0, 0.65, 0, 0};
    Config gated = fixed(1, 0, 0).withMinConfidence(0.65);
    BacktestResult r = new Backtester(gated).run("s", new Scripted(signals, stops, tps, confidences), b, 0);
    assertEquals(1, r.trades().size());
    assertEquals(4, r.trades().get(0).entryBar());
    BacktestResult all = new Backtester(fixed(1, 0, 0)).run("s", new Scripted(signals, stops, tps, confidences), b, 0);
    assertEquals(2, all.trades().size());
    assertEquals(1, all.trades().get(0).entryBar());
  }

  @Test
  public void stopIsTakenBeforeTakeProfitWhenBothAreInOneBar() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {100, 106, 94, 100});
    BacktestResult r = script(fixed(1, 0, 0.01), b, new int[] {E, N, N}, 95, 105);
    Trade t = r.trades().get(0);
    assertEquals(95, t.stop(), 0); // the levels placed at the entry, in the trade list
    assertEquals(105, t.takeProfit(), 0);
    assertEquals(ExitKind.STOP, t.exitKind());
    assertEquals(2, t.exitBar());
    assertEquals(95 * 0.99, t.exitPrice(), 1e-12);
  }

  @Test
  public void takeProfitFillsAtTheLevelWithoutSlippageOrAtABetterGapOpen() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {100, 106, 99, 100});
    assertEquals(105, script(fixed(1, 0, 0.01), b, new int[] {E, N, N}, 95, 105).trades().get(0).exitPrice(), 0);
    BarArrays gap = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {108, 109, 107, 108});
    Trade t = script(fixed(1, 0, 0.01), gap, new int[] {E, N, N}, 95, 105).trades().get(0);
    assertEquals(ExitKind.TAKE_PROFIT, t.exitKind());
    assertEquals(108, t.exitPrice(), 0);
  }

  @Test
  public void aGapThroughTheStopFillsAtTheOpen() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {90, 92, 88, 91});
    Trade t = script(fixed(1, 0.001, 0.01), b, new int[] {E, N, N}, 95, NONE).trades().get(0);
    assertEquals(ExitKind.STOP, t.exitKind());
    assertEquals(90 * 0.99, t.exitPrice(), 1e-12);
  }

  @Test
  public void aPositionOpenedAtABarsOpenIsStoppedWithinThatBar() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 94, 96}, new double[] {96, 97, 95, 96});
    BacktestResult r = script(fixed(1, 0, 0), b, new int[] {E, N, N}, 95, NONE);
    Trade t = r.trades().get(0);
    assertEquals(1, t.entryBar());
    assertEquals(1, t.exitBar());
    assertEquals(95, t.exitPrice(), 0);
    assertEquals(-5, t.pnl(), 1e-12);
    assertEquals(1.0 / 3, r.metrics().exposure(), 1e-12);
  }

  @Test
  public void anExitOrderFillsAtTheOpenBeforeTheStopIsLookedAt() {
    // Bar 2 signals the exit; bar 3 would also hit the stop, but the position is gone at its open.
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {100, 101, 99, 100},
        new double[] {97, 98, 80, 85});
    Trade t = script(fixed(1, 0, 0), b, new int[] {E, N, X, N}, 95, NONE).trades().get(0);
    assertEquals(ExitKind.SIGNAL, t.exitKind());
    assertEquals(97, t.exitPrice(), 0);
  }

  @Test
  public void signalsThatDoNotApplyAreIgnoredAndAnOrderOnTheLastBarNeverFills() {
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {100, 101, 99, 100}, new double[] {100, 101, 99, 100},
        new double[] {100, 101, 99, 100});
    BacktestResult r = script(fixed(1, 0, 0), b, new int[] {X, E, E, X}, 50, NONE);
    assertEquals(0, r.trades().size()); // exit while flat ignored; second entry while long ignored; exit on the last bar
    assertTrue(r.openAtEnd());
  }

  @Test
  public void sizesEntriesExactlyAsTheRiskGateDoes() {
    Config cfg = new Config(100_000, new Costs(0.001, 0.0005), Sizing.risk(0.01, 1.0, 5), true);
    BarArrays b = bars(new double[] {100, 100, 100, 100}, new double[] {101, 102, 100, 101}, new double[] {101, 102, 100, 101},
        new double[] {101, 102, 100, 101});
    Trade t = script(cfg, b, new int[] {E, N, X, N}, 95, NONE).trades().get(0);
    // The signal bar's close is the entry reference and its marked equity the base, as in the orchestrator.
    RiskGate.Admission a = RiskGate.admit(new RiskGate.Signal("s", "TEST", Side.LONG, 1, 100, 95),
        GlobalPolicy.initial(RiskMode.NORMAL, new Limits(0, 0.01, 5, 1.0)), new RiskGate.Book(100_000, 0, 0, false),
        new FillRules.Costs(0.001, 0.0005));
    assertTrue(a.admitted());
    assertEquals(a.quantity(), t.quantity(), 0.0);
  }

  @Test
  public void twoRunsAreIdenticalBitForBitAndTheFastPathGivesTheSameNumbers() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    for (Template tpl : Template.values()) {
      StrategySpec spec = StrategySpec.defaults("d", tpl);
      Backtester bt = new Backtester(Config.defaults());
      BacktestResult r1 = bt.run(spec, b), r2 = new Backtester(Config.defaults()).run(spec, b);
      assertTrue(tpl + " trades", r1.trades().size() > 0);
      assertArrayEquals(r1.equity(), r2.equity(), 0.0);
      assertEquals(r1.trades(), r2.trades());
      assertEquals(r1.metrics(), r2.metrics());
      assertEquals(r1.metrics(), bt.metrics(spec, b)); // the same instance, buffers reused
      assertEquals(r1.metrics(), new Backtester(Config.defaults()).metrics(spec, b));
      assertEquals(r1.trades().size(), r1.metrics().tradeCount());
      assertTrue(tpl + " " + r1.metrics(), Double.isFinite(r1.metrics().sharpe()));
    }
  }

  /**
   * {@link Backtester#metrics} keeps only each trade's profit in the trade log; a backtester used for
   * metrics first, with more trades than the log's first capacity, then gives the same full result and
   * daily P&L as a new one.
   */
  @Test
  public void theMetricsPathsShorterTradeLogLeavesTheFullResultIntact() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    StrategySpec spec = new StrategySpec("short", Template.TREND_EMA_CROSS, new double[] {3, 8, 14, 2.0, 2.0});
    BacktestResult fresh = new Backtester(Config.defaults()).run(spec, b);
    assertTrue("trades " + fresh.trades().size(), fresh.trades().size() > 16); // past the log's first capacity
    Backtester afterMetrics = new Backtester(Config.defaults());
    assertEquals(fresh.metrics(), afterMetrics.metrics(spec, b));
    BacktestResult r = afterMetrics.run(spec, b);
    assertEquals(fresh.trades(), r.trades());
    assertEquals(fresh.metrics(), r.metrics());
    afterMetrics.metrics(spec, b);
    int[] days = Backtester.dayEnds(b);
    assertArrayEquals(new Backtester(Config.defaults()).dailyPnl(spec, b, days), afterMetrics.dailyPnl(spec, b, days), 0.0);
  }

  @Test
  public void aPortfolioOfOneSymbolIsTheSingleSymbolRun() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    StrategySpec spec = StrategySpec.defaults("d", Template.TREND_EMA_CROSS);
    BacktestResult one = new Backtester(Config.defaults()).run(spec, b);
    BacktestResult p = new Backtester(Config.defaults()).portfolio(spec, List.of(b));
    assertEquals(one.trades(), p.trades());
    assertArrayEquals(one.equity(), p.equity(), 0.0);
    assertEquals(one.metrics(), p.metrics());
  }

  /** Warmed up until a time, a portfolio of one is the single-symbol run warmed up as long (every template). */
  @Test
  public void aPortfolioWarmedUpUntilATimeIsTheSingleSymbolRunWarmedUpAsLong() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    int cut = b.size() * 2 / 3;
    for (Template tpl : Template.values()) {
      StrategySpec spec = StrategySpec.defaults("d", tpl);
      BacktestResult one = new Backtester(Config.defaults()).run(spec, b, cut);
      BacktestResult p = new Backtester(Config.defaults()).portfolio(spec, List.of(b), b.openTime(cut));
      assertTrue(tpl + ": no trade after the cut", one.trades().size() > 0);
      assertEquals(tpl.toString(), one.trades(), p.trades());
      assertArrayEquals(one.openTime(), p.openTime());
      assertArrayEquals(one.equity(), p.equity(), 0.0);
      assertEquals(one.metrics(), p.metrics());
    }
  }

  /**
   * Each symbol's engine warms up on its own bars before the portfolio trades: with a fixed quantity
   * (no symbol's size depends on another's), each symbol's trades are those of its own run warmed up
   * until the same time, also for a symbol whose bars start later than the others'.
   */
  @Test
  public void aPortfolioWarmsEachSymbolUpOnItsOwnBars() throws Exception {
    BarArrays btc = real("real/BTCUSDT-1h.csv");
    BarArrays late = listedLater(btc, 200);
    long tradeFrom = btc.openTime(btc.size() / 2);
    Config fixed = new Config(1_000_000, new Costs(0.001, 0.0005), Sizing.fixed(1), true);
    StrategySpec spec = StrategySpec.defaults("d", Template.TREND_EMA_CROSS);
    BacktestResult p = new Backtester(fixed).portfolio(spec, List.of(btc, late), tradeFrom);
    assertEquals(tradeFrom, p.openTime()[0]);
    for (BarArrays b : List.of(btc, late)) {
      BacktestResult own = new Backtester(fixed).run(spec, b, b.indexAtOrAfter(tradeFrom));
      List<Trade> mine = p.trades().stream().filter(x -> x.symbol().equals(b.symbol)).toList();
      assertTrue(b.symbol + ": no trade", own.trades().size() > 2);
      assertEquals(b.symbol, own.trades().size(), mine.size());
      for (int k = 0; k < mine.size(); k++) {
        Trade a = own.trades().get(k), x = mine.get(k);
        assertEquals(b.symbol + " #" + k, a.entryTime(), x.entryTime());
        assertEquals(a.exitTime(), x.exitTime());
        assertEquals(a.entryPrice(), x.entryPrice(), 0);
        assertEquals(a.exitPrice(), x.exitPrice(), 0);
        assertEquals(a.exitKind(), x.exitKind());
      }
    }
  }

  @Test
  public void aPortfolioSharesEquityAndRespectsTheOpenPositionLimit() throws Exception {
    List<BarArrays> syms = List.of(real("real/BTCUSDT-1h.csv"), real("real/ADAUSDT-1h.csv"));
    StrategySpec spec = StrategySpec.defaults("d", Template.DONCHIAN_BREAKOUT);
    Config oneAtATime = new Config(10_000, new Costs(0.001, 0.0005), Sizing.risk(0.01, 1.0, 1), true);
    BacktestResult r = new Backtester(oneAtATime).portfolio(spec, syms);
    assertTrue(r.trades().size() > 0);
    for (int i = 1; i < r.trades().size(); i++) {
      assertTrue("overlapping positions with a limit of 1", r.trades().get(i).entryBar() >= r.trades().get(i - 1).exitBar());
    }
    BacktestResult both = new Backtester(Config.defaults()).portfolio(spec, syms);
    assertTrue(both.trades().stream().map(Trade::symbol).distinct().count() == 2);
    double sum = 10_000;
    for (Trade t : both.trades()) sum += t.pnl();
    if (!both.openAtEnd()) assertEquals(sum, both.equity()[both.equity().length - 1], 1e-6);
  }

  /**
   * The daily P&L the Strategy Generator compares candidates by is the equity curve's change from one
   * UTC day's last bar to the next (the first day's from the initial equity), open position included.
   */
  @Test
  public void dailyPnlIsTheEquityCurvesChangeFromDayEndToDayEnd() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    int[] ends = Backtester.dayEnds(b);
    assertEquals(ends.length - 1, b.openTime(ends[ends.length - 1]) / 86_400_000L - b.openTime(0) / 86_400_000L);
    for (int d = 0; d < ends.length; d++) {
      assertTrue(ends[d] == b.size() - 1 || b.openTime(ends[d] + 1) / 86_400_000L > b.openTime(ends[d]) / 86_400_000L);
    }
    for (Template t : Template.values()) {
      StrategySpec spec = StrategySpec.defaults("d", t);
      Backtester bt = new Backtester(Config.defaults());
      double[] pnl = bt.dailyPnl(spec, b, ends);
      BacktestResult r = new Backtester(Config.defaults()).run(spec, b);
      assertTrue(t + ": " + r.trades().size() + " trades", r.trades().size() > 3);
      double prev = Config.defaults().initialEquity();
      for (int d = 0; d < ends.length; d++) {
        double e = r.equity()[ends[d]];
        assertEquals(t + " day " + d, e - prev, pnl[d], 1e-6);
        prev = e;
      }
    }
  }

  /**
   * Entries competing on one step for one free slot go to the most confident, whatever the symbols'
   * order: two symbols falling in step, then both crossing up on the same bar, B by more ATRs (a
   * higher confidence). (On real candles: {@code SharedPortfolioOrderTest}.)
   */
  @Test
  public void competingEntriesGoToTheMostConfidentWhateverTheSymbolsOrder() throws Exception {
    int n = 40, jump = 30;
    long[] t = new long[n];
    double[][] a = new double[4][n], b = new double[4][n];
    for (int i = 0; i < n; i++) {
      t[i] = 1_700_000_000_000L + i * 3_600_000L;
      double c = 200 - i;
      double ca = i < jump ? c : 200 - jump + 1 + 10 * (i - jump + 1), cb = i < jump ? c : 200 - jump + 1 + 30 * (i - jump + 1);
      double[][][] x = {a, b};
      double[] cs = {ca, cb};
      for (int s = 0; s < 2; s++) {
        x[s][0][i] = i == 0 ? cs[s] : Math.min(cs[s], (i < jump ? c + 1 : cs[s] - 1));
        x[s][3][i] = cs[s];
        x[s][1][i] = Math.max(x[s][0][i], cs[s]) + 0.5;
        x[s][2][i] = Math.min(x[s][0][i], cs[s]) - 0.5;
      }
    }
    BarArrays symA = BarArrays.of("AUSDT", "1h", t, a[0], a[1], a[2], a[3]);
    BarArrays symB = BarArrays.of("BUSDT", "1h", t, b[0], b[1], b[2], b[3]);
    StrategySpec spec = new StrategySpec("x", Template.TREND_EMA_CROSS, new double[] {3, 8, 3, 2, 0});
    Config oneSlot = new Config(10_000, new Costs(0.001, 0.0005), Sizing.risk(0.01, 1.0, 1), true);
    // on its own, each signals its entry on the jump bar (no entry before), B more confident
    double[] confidence = new double[2];
    int k = 0;
    for (BarArrays x : List.of(symA, symB)) {
      SignalEngine e = spec.newEngine();
      for (int i = 0; i <= jump; i++) {
        int sig = e.onBar(x.open(i), x.high(i), x.low(i), x.close(i));
        assertEquals(x.symbol + " bar " + i, i == jump ? SignalEngine.ENTER_LONG : SignalEngine.NONE, sig == SignalEngine.EXIT_LONG ? 0 : sig);
      }
      confidence[k++] = e.confidence();
    }
    assertTrue(java.util.Arrays.toString(confidence), confidence[1] > confidence[0]);
    for (List<BarArrays> order : List.of(List.of(symA, symB), List.of(symB, symA))) {
      BacktestResult r = new Backtester(oneSlot).portfolio(spec, order);
      Trade first = r.trades().isEmpty() ? null : r.trades().get(0);
      String held = first != null ? first.symbol() : r.openPositions().get(0).symbol();
      assertEquals(order.get(0).symbol + " first", "BUSDT", held);
      assertEquals(1, r.trades().size() + r.openPositions().size());
    }
  }

  /**
   * An entry ordered on one step and not yet filled (its symbol has no bar on the next step) holds its
   * share of the exposure room: an entry signalled meanwhile on another symbol gets only what is left,
   * so that the two, at the prices they were sized at, stay within 1x equity.
   */
  @Test
  public void anEntryOrderedAndNotYetFilledHoldsItsExposureRoom() throws Exception {
    int n = 40;
    BarArrays a = crossingUp("AUSDT", n, 30, 31); // signals on bar 30; no bar 31, so it fills on bar 32
    BarArrays b = crossingUp("BUSDT", n, 31, -1); // signals on bar 31, fills on bar 32
    StrategySpec spec = new StrategySpec("x", Template.TREND_EMA_CROSS, new double[] {3, 8, 3, 0.25, 0});
    // 10 % risk to a stop a quarter ATR away: each entry alone would take the whole 1x room
    Config big = new Config(10_000, new Costs(0.001, 0.0005), Sizing.risk(0.1, 1.0, 10), true);
    BacktestResult r = new Backtester(big).portfolio(spec, List.of(a, b));
    // A's entry, sized on its bar 30's close, takes the room; B's, ordered while A's waits for a bar, gets what is left
    double aNotional = 0, bNotional = 0;
    for (BacktestResult.OpenPosition o : r.openPositions()) {
      if (o.symbol().equals("AUSDT")) aNotional += o.quantity() * a.close(30);
      if (o.symbol().equals("BUSDT")) bNotional += o.quantity() * b.close(31);
    }
    assertTrue("both open to the end: " + r.trades() + r.openPositions(), r.trades().isEmpty() && r.openPositions().size() == 2);
    assertTrue("A: " + aNotional, aNotional > 9_000);
    assertTrue("A " + aNotional + " + B " + bNotional, aNotional + bNotional <= 10_000);
  }

  /**
   * A series falling one a bar (fast EMA under slow), then rising 10 a bar from {@code jump} on: the
   * 3/8 EMA cross signals on bar {@code jump}. Without bar {@code missing} (or -1 for all bars).
   */
  private static BarArrays crossingUp(String symbol, int n, int jump, int missing) {
    int m = missing >= 0 ? n - 1 : n, k = 0;
    long[] t = new long[m];
    double[] o = new double[m], h = new double[m], l = new double[m], c = new double[m];
    for (int i = 0; i < n; i++) {
      if (i == missing) continue;
      double close = i < jump ? 200 - i : 200 - jump + 1 + 10 * (i - jump + 1);
      double open = i == 0 ? close : i < jump ? close + 1 : close - 1;
      t[k] = 1_700_000_000_000L + i * 3_600_000L;
      o[k] = open;
      c[k] = close;
      h[k] = Math.max(open, close) + 0.5;
      l[k] = Math.min(open, close) - 0.5;
      k++;
    }
    return BarArrays.of(symbol, "1h", t, o, h, l, c);
  }

  /**
   * A symbol whose candles end before the others' (a shorter file, a delisting) has its position
   * closed at its last close: otherwise it would hold the book's equity and its open-position slot
   * to the end of the run, and the other symbols could open nothing more.
   */
  @Test
  public void aPositionInASymbolWhoseDataEndsIsClosedAtItsLastClose() throws Exception {
    BarArrays btc = real("real/BTCUSDT-1h.csv"), ada = real("real/ADAUSDT-1h.csv");
    StrategySpec spec = StrategySpec.defaults("d", Template.TREND_EMA_CROSS);
    Config oneAtATime = new Config(10_000, new Costs(0.001, 0.0005), Sizing.risk(0.01, 1.0, 1), true);
    // ADA cut two bars after an entry of its own run, before BTC's data ends: in a position at its end
    Trade adaTrade = new Backtester(oneAtATime).run(spec, ada).trades().stream()
        .filter(t -> t.exitBar() - t.entryBar() > 3 && t.entryBar() > ada.size() / 3).findFirst().orElseThrow();
    BarArrays adaShort = ada.slice(0, adaTrade.entryBar() + 3);
    long adaEnd = adaShort.openTime(adaShort.size() - 1);
    assertTrue(adaEnd < btc.openTime(btc.size() - 1));
    // ADA first, so that it holds the one slot when its data ends
    BacktestResult r = new Backtester(oneAtATime).portfolio(spec, List.of(adaShort, btc));
    Trade last = r.trades().stream().filter(t -> t.symbol().equals("ADAUSDT")).reduce((a, b) -> b).orElseThrow();
    assertEquals(last.toString(), BacktestResult.ExitKind.END_OF_DATA, last.exitKind());
    assertEquals(adaEnd, last.exitTime());
    assertEquals(adaShort.close(adaShort.size() - 1) * (1 - 0.0005), last.exitPrice(), 1e-12);
    assertTrue(r.trades().stream().noneMatch(t -> t.symbol().equals("ADAUSDT") && t.exitTime() > adaEnd));
    // BTC goes on trading after ADA's end
    assertTrue(r.trades().stream().anyMatch(t -> t.symbol().equals("BTCUSDT") && t.entryTime() > adaEnd));
    double sum = 10_000;
    for (Trade t : r.trades()) sum += t.pnl();
    for (BacktestResult.OpenPosition o : r.openPositions()) {
      assertTrue(o.toString(), o.symbol().equals("BTCUSDT")); // ADA's was closed at its end
      sum += o.unrealizedPnl();
    }
    assertEquals(sum, r.equity()[r.equity().length - 1], 1e-6);
  }

  @Test
  public void aPortfolioWithoutBarsEndsWhereItStarted() throws Exception {
    BarArrays none = real("real/BTCUSDT-1h.csv").slice(0, 0);
    BacktestResult r = new Backtester(Config.defaults()).portfolio(StrategySpec.defaults("d", Template.TREND_EMA_CROSS), List.of(none));
    assertEquals(0, r.trades().size());
    assertEquals(Config.defaults().initialEquity(), r.metrics().finalEquity(), 0);
    assertEquals(0, r.metrics().days(), 0);
  }

  @Test
  public void walkForwardTestWindowsFollowTheirTrainingWindowsAndWarmUpOnThem() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    WalkForward.Window w = WalkForward.split(b, 0.7);
    assertEquals(b.size(), w.train().size() + w.test().size());
    assertTrue(w.train().openTime(w.train().size() - 1) < w.test().openTime(0));
    List<WalkForward.Window> ws = WalkForward.rolling(b, 300, 100);
    assertTrue(ws.size() >= 2);
    for (WalkForward.Window x : ws) assertEquals(100, x.test().size());
    StrategySpec spec = StrategySpec.defaults("d", Template.TREND_EMA_CROSS);
    List<WalkForward.WindowResult> rs = WalkForward.run(new Backtester(Config.defaults()), spec, List.of(w));
    BacktestResult test = rs.get(0).test();
    assertEquals(w.test().size(), test.equity().length);
    assertEquals(w.test().openTime(0), test.openTime()[0]);
    // The warm-up is the training history: the same as the full run's signals from the cut on.
    SignalEngine full = spec.newEngine();
    for (int i = 0; i < b.size(); i++) full.onBar(b.open(i), b.high(i), b.low(i), b.close(i));
    assertEquals(b.size(), full.bars());
    for (Trade t : test.trades()) assertTrue(t.entryTime() >= w.test().openTime(0));
  }

  /**
   * Windows by time: 20 days to train and 10 to test over about 62.5 days of real hourly bars gives
   * four windows whose test periods tile the history after the first 20 days; the fifth would end
   * after the last bar and is dropped; a gap in the bars does not shift the windows.
   */
  @Test
  public void walkForwardWindowsByTimeTileTheHistoryAndDropTheIncompleteLastOne() throws Exception {
    BarArrays b = real("real/BTCUSDT-1h.csv");
    long day = 86_400_000L, t0 = b.openTime(0);
    List<WalkForward.Window> ws = WalkForward.rollingByTime(b, 20 * day, 10 * day);
    assertEquals(4, ws.size());
    for (int k = 0; k < ws.size(); k++) {
      WalkForward.Window w = ws.get(k);
      assertEquals(k, w.index());
      assertEquals(t0 + k * 10 * day, w.train().openTime(0));
      assertEquals(t0 + (20 + k * 10) * day, w.test().openTime(0));
      assertEquals(t0 + (30 + k * 10) * day - 3_600_000L, w.test().openTime(w.test().size() - 1));
      assertEquals(w.train().size() + w.test().size(), w.warmUpAndTest().size());
    }
    assertTrue(b.openTime(b.size() - 1) < t0 + 70 * day);

    // 48 bars cut out of the second test period: the windows stay where they were, that one is shorter
    int cutFrom = b.indexAtOrAfter(t0 + 32 * day);
    long[] t = new long[b.size() - 48];
    double[] o = new double[t.length], h = new double[t.length], l = new double[t.length], c = new double[t.length];
    for (int i = 0, j = 0; i < b.size(); i++) {
      if (i >= cutFrom && i < cutFrom + 48) continue;
      t[j] = b.openTime(i);
      o[j] = b.open(i);
      h[j] = b.high(i);
      l[j] = b.low(i);
      c[j++] = b.close(i);
    }
    List<WalkForward.Window> gapped = WalkForward.rollingByTime(BarArrays.of("BTCUSDT", "1h", t, o, h, l, c), 20 * day, 10 * day);
    assertEquals(4, gapped.size());
    assertEquals(ws.get(1).test().size() - 48, gapped.get(1).test().size());
    for (int k = 0; k < 4; k++) assertEquals(ws.get(k).test().openTime(0), gapped.get(k).test().openTime(0));
  }

  /**
   * Walk-forward over a portfolio: the same slots of time for every symbol. A portfolio of one has the
   * single symbol's windows and results; a symbol listed later joins the windows whose periods hold
   * its bars, and no window's bars leave its periods.
   */
  @Test
  public void portfolioWalkForwardWindowsShareTheSlotsOfTimeAndAPortfolioOfOneIsTheSingleSymbolWalkForward() throws Exception {
    BarArrays btc = real("real/BTCUSDT-1h.csv");
    long day = 86_400_000L, origin = Math.floorDiv(btc.openTime(0), day) * day;
    StrategySpec spec = StrategySpec.defaults("d", Template.TREND_EMA_CROSS);
    Backtester bt = new Backtester(Config.defaults());
    List<WalkForward.Window> single = WalkForward.rollingByTime(btc, origin, 20 * day, 10 * day);
    List<WalkForward.PortfolioWindow> one = WalkForward.rollingByTime(List.of(btc), origin, 20 * day, 10 * day);
    assertEquals(4, single.size());
    assertEquals(single.size(), one.size());
    List<WalkForward.WindowResult> singleRuns = WalkForward.run(bt, spec, single);
    List<WalkForward.PortfolioResult> oneRuns = WalkForward.runPortfolio(bt, spec, one);
    for (int k = 0; k < single.size(); k++) {
      WalkForward.Window w = single.get(k);
      WalkForward.PortfolioWindow p = one.get(k);
      assertEquals(w.index(), p.index());
      assertEquals(w.test().openTime(0), p.testStart());
      assertEquals(w.train().size(), p.train().get(0).size());
      assertEquals(w.warmUpAndTest().size(), p.warmUpAndTest().get(0).size());
      assertEquals(singleRuns.get(k).train().trades(), oneRuns.get(k).train().trades());
      assertEquals(singleRuns.get(k).train().metrics(), oneRuns.get(k).train().metrics());
      assertEquals(singleRuns.get(k).test().trades(), oneRuns.get(k).test().trades());
      assertEquals(singleRuns.get(k).test().metrics(), oneRuns.get(k).test().metrics());
    }

    BarArrays late = listedLater(btc, 25 * 24); // its first bar on day 25
    List<WalkForward.PortfolioWindow> two = WalkForward.rollingByTime(List.of(btc, late), origin, 20 * day, 10 * day);
    assertEquals(4, two.size());
    assertEquals(List.of("BTCUSDT"), two.get(0).train().stream().map(b -> b.symbol).toList()); // days 0-19
    assertEquals(List.of("BTCUSDT", "LATEUSDT"), two.get(0).warmUpAndTest().stream().map(b -> b.symbol).toList()); // to day 29
    for (WalkForward.PortfolioWindow w : two) {
      if (w.index() > 0) assertEquals(2, w.train().size());
      for (BarArrays b : w.train()) {
        assertTrue(b.openTime(0) >= w.trainStart() && b.openTime(b.size() - 1) < w.testStart());
      }
      for (BarArrays b : w.warmUpAndTest()) {
        assertTrue(b.openTime(0) >= w.trainStart() && b.openTime(b.size() - 1) < w.testEnd());
      }
    }
    for (WalkForward.PortfolioResult r : WalkForward.runPortfolio(bt, spec, two)) {
      assertEquals(r.window().testStart(), r.test().openTime()[0]);
      assertTrue(r.test().openTime()[r.test().openTime().length - 1] < r.window().testEnd());
    }
  }

  /** A later-listed symbol: BTC's times from bar {@code from} on, a hundredth of its prices, reversed in time. */
  private static BarArrays listedLater(BarArrays btc, int from) {
    int n = btc.size() - from;
    long[] t = new long[n];
    double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n];
    for (int i = 0; i < n; i++) {
      int j = btc.size() - 1 - i;
      t[i] = btc.openTime(from + i);
      o[i] = btc.close(j) / 100;
      c[i] = btc.open(j) / 100;
      h[i] = btc.high(j) / 100;
      l[i] = btc.low(j) / 100;
    }
    return BarArrays.of("LATEUSDT", "1h", t, o, h, l, c);
  }

  static BarArrays real(String file) throws Exception {
    return BarArrays.loadOne(Path.of(BacktesterTest.class.getResource("/market/" + file).toURI()));
  }
}
