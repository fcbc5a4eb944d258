package com.quantumtrader.strategy;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;
import org.junit.Test;

/**
 * The backtester reads each template's rule with indicator values from {@link SeriesCache} instead of
 * the engine's own indicators; that must change nothing: for random parameter sets of every template
 * on real candles, the signals, stops and take-profits of {@link AbstractEngine#signals} equal those
 * of {@link SignalEngine#onBar} bar by bar, and so does the whole backtest (trades, curve, metrics).
 */
public class SignalSeriesTest {
  private static final String[] FILES = {"real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "real/ADAUSDT-1h.csv", "equities/DHR-1d.csv"};

  @Test
  public void seriesSignalsEqualBarByBarSignals() throws Exception {
    long seed = 7;
    SplittableRandom rnd = new SplittableRandom(seed);
    int entries = 0;
    for (String file : FILES) {
      BarArrays all = BacktesterTest.real(file);
      for (Template t : Template.values()) {
        for (int k = 0; k < 25; k++) {
          StrategySpec spec = random(t, rnd);
          // a view that does not start at the arrays' first bar, as a walk-forward window
          BarArrays b = k % 2 == 0 ? all : all.slice(rnd.nextInt(0, all.size() / 3), all.size());
          SignalTape byBar = new SignalTape(), bySeries = new SignalTape();
          double min = 0.5 + 0.3 * rnd.nextDouble(); // the admission by the minimum confidence too
          byBar.gate(min);
          bySeries.gate(min);
          byBar.record(spec.newEngine(), b);
          ((AbstractEngine) spec.newEngine()).signals(b, b.series, bySeries);
          String at = "seed " + seed + ", " + file + ", " + spec;
          assertEquals(at + ": signals", byBar.size, bySeries.size);
          for (int e = 0; e < byBar.size; e++) {
            assertEquals(at + ", signal " + e, byBar.bar[e], bySeries.bar[e]);
            assertEquals(at + ", bar " + byBar.bar[e], byBar.signal[e], bySeries.signal[e]);
            if (byBar.signal[e] == SignalEngine.ENTER_LONG) {
              entries++;
              assertEquals(at + ", stop at bar " + byBar.bar[e], byBar.stop[e], bySeries.stop[e], 0);
              assertEquals(at + ", take-profit at bar " + byBar.bar[e], byBar.takeProfit[e], bySeries.takeProfit[e], 0);
              assertEquals(at + ", admitted at bar " + byBar.bar[e], byBar.admitted[e], bySeries.admitted[e]);
            }
          }
        }
      }
    }
    assertTrue("entries compared: " + entries, entries > 1000);
  }

  @Test
  public void backtestsOverSeriesEqualBacktestsBarByBar() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    BarArrays b = BacktesterTest.real("real/BTCUSDT-1h.csv");
    Backtester bt = new Backtester(Backtester.Config.defaults());
    for (Template t : Template.values()) {
      for (int k = 0; k < 10; k++) {
        StrategySpec spec = random(t, rnd);
        int tradeFrom = k % 3 == 0 ? 0 : rnd.nextInt(0, b.size());
        BacktestResult bySeries = bt.run(spec, b, tradeFrom);
        BacktestResult byBar = bt.run(spec.id(), spec.newEngine(), b, tradeFrom);
        assertEquals(spec.toString(), byBar.trades(), bySeries.trades());
        assertArrayEquals(spec.toString(), byBar.equity(), bySeries.equity(), 0);
        assertEquals(spec.toString(), byBar.metrics(), bySeries.metrics());
        assertEquals(spec.toString(), byBar.metrics(), bt.metrics(spec, b, tradeFrom));
      }
    }
  }

  /**
   * The EMA cross keeps its crossings per view and pair of periods: the backtests after the first of a
   * pair (another ATR period, stop or target, as a search tries them) read them instead of scanning
   * the two series, and must still give {@code onBar}'s signals; so must another view of the same
   * arrays (its own crossings), and bars whose EMAs are equal (a flat start: fast - slow is 0, no sign).
   */
  @Test
  public void keptCrossingsGiveTheBarByBarSignalsForEveryStopAndView() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    BarArrays all = BacktesterTest.real("real/ETHUSDT-5m.csv");
    int n = 400;
    double[][] ohlc = new double[4][n];
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      // flat for 60 bars, then up, down and flat again
      double c = i < 60 ? 100 : i < 160 ? 100 + (i - 60) * 0.5 : i < 300 ? 150 - (i - 160) * 0.6 : 66;
      t[i] = i * 3_600_000L;
      ohlc[0][i] = c;
      ohlc[1][i] = c + 0.5;
      ohlc[2][i] = c - 0.5;
      ohlc[3][i] = c;
    }
    BarArrays flat = BarArrays.of("FLAT", "1h", t, ohlc[0], ohlc[1], ohlc[2], ohlc[3]);
    int compared = 0;
    for (BarArrays arrays : new BarArrays[] {all, flat}) {
      for (int pair = 0; pair < 4; pair++) {
        int fast = 2 + rnd.nextInt(20), slow = fast + 1 + rnd.nextInt(40);
        for (BarArrays view : new BarArrays[] {arrays, arrays.slice(arrays.size() / 4, arrays.size())}) {
          for (int k = 0; k < 4; k++) {
            StrategySpec spec = new StrategySpec("r", Template.TREND_EMA_CROSS,
                new double[] {fast, slow, 2 + rnd.nextInt(40), 0.5 + 5 * rnd.nextDouble(), k % 2 == 0 ? 0 : 8 * rnd.nextDouble()});
            compared += sameSignals(spec, view, 0.5 + 0.3 * rnd.nextDouble());
          }
        }
      }
    }
    assertTrue("signals compared: " + compared, compared > 500);
  }

  /** Asserts the rule over the view's series gives {@code onBar}'s signals; returns how many. */
  private static int sameSignals(StrategySpec spec, BarArrays b, double minConfidence) {
    SignalTape byBar = new SignalTape(), bySeries = new SignalTape();
    byBar.gate(minConfidence);
    bySeries.gate(minConfidence);
    byBar.record(spec.newEngine(), b);
    ((AbstractEngine) spec.newEngine()).signals(b, b.series, bySeries);
    String at = b.symbol + " from " + b.from + ", " + spec;
    assertEquals(at + ": signals", byBar.size, bySeries.size);
    for (int e = 0; e < byBar.size; e++) {
      assertEquals(at + ", signal " + e, byBar.bar[e], bySeries.bar[e]);
      assertEquals(at + ", bar " + byBar.bar[e], byBar.signal[e], bySeries.signal[e]);
      if (byBar.signal[e] == SignalEngine.ENTER_LONG) {
        assertEquals(at + ", stop at bar " + byBar.bar[e], byBar.stop[e], bySeries.stop[e], 0);
        assertEquals(at + ", take-profit at bar " + byBar.bar[e], byBar.takeProfit[e], bySeries.takeProfit[e], 0);
        assertEquals(at + ", admitted at bar " + byBar.bar[e], byBar.admitted[e], bySeries.admitted[e]);
      }
    }
    return byBar.size;
  }

  /** Random valid parameters of a template (whole numbers where it needs them). */
  static StrategySpec random(Template t, SplittableRandom rnd) {
    while (true) {
      double[] v = new double[t.params().size()];
      for (int i = 0; i < v.length; i++) {
        Template.Param p = t.params().get(i);
        double max = p.integer() ? Math.min(p.max(), 120) : p.max();
        double x = p.min() + rnd.nextDouble() * (max - p.min());
        v[i] = p.integer() ? Math.floor(x) : x;
      }
      try {
        return new StrategySpec("r", t, v);
      } catch (IllegalArgumentException e) {
        // e.g. fast >= slow: draw again
      }
    }
  }

  /**
   * The backtester admits an entry by its strength against the least strength of the minimum
   * confidence, without a tanh: the same answer as comparing its confidence, for every double, the
   * ones either side of the boundary included.
   */
  @Test
  public void theLeastStrengthAdmitsExactlyTheEntriesTheConfidenceDoes() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (double m : new double[] {1e-9, 0.3, 0.5, 0.55, 0.65, 0.8, 0.999, 1.0}) {
      double z = AbstractEngine.minStrength(m);
      String at = "min confidence " + m + ", least strength " + z;
      assertTrue(at, AbstractEngine.confidence(z) >= m);
      assertTrue(at, AbstractEngine.confidence(Math.nextDown(z)) < m);
      for (int k = 0; k < 20_000; k++) {
        double x = k % 2 == 0 ? rnd.nextDouble(-25, 25) : z + (rnd.nextInt(-64, 65)) * Math.ulp(z);
        assertEquals(at + ", strength " + x, AbstractEngine.confidence(x) >= m, x >= z);
      }
      assertEquals(at, AbstractEngine.confidence(Double.NaN) >= m, Double.NaN >= z);
    }
    assertEquals(Double.NEGATIVE_INFINITY, AbstractEngine.minStrength(0), 0);
  }
}
