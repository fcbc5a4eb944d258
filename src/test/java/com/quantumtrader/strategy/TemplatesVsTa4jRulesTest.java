package com.quantumtrader.strategy;

import static com.quantumtrader.indicators.Ta4jBars.assertClose;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.indicators.Ta4jBars;
import com.quantumtrader.market.Bar;
import java.util.Arrays;
import org.junit.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.Indicator;
import org.ta4j.core.Rule;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.indicators.helpers.PreviousValueIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.Num;
import org.ta4j.core.rules.CrossedDownIndicatorRule;
import org.ta4j.core.rules.CrossedUpIndicatorRule;
import org.ta4j.core.rules.OverIndicatorRule;
import org.ta4j.core.rules.UnderIndicatorRule;

/**
 * Each template's engine, fed bar by bar, gives on every bar after its warm-up exactly the signal of
 * the same rule built from ta4j 0.17 rules over the same bars, on real candles; its stop is close -
 * stopAtr × ta4j's ATR and its take-profit ta4j's value. BTCUSDT-1h and at least one more slice must
 * yield both entries and exits to compare, so the check cannot pass vacuously.
 */
public class TemplatesVsTa4jRulesTest {
  private static final String[] FILES = {"real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "real/ADAUSDT-1h.csv", "equities/DHR-1d.csv"};

  /** A ta4j rule pair and what an entry must carry (also the backtester cross-check's strategy). */
  record Reference(Rule entry, Rule exit, Indicator<Num> atr, Indicator<Num> takeProfit) {}

  @Test
  public void trendEmaCrossSignalsEqualTa4jCrossRules() throws Exception {
    check(Template.TREND_EMA_CROSS, new double[] {12, 26, 14, 2.0, 0});
    check(Template.TREND_EMA_CROSS, new double[] {5, 50, 20, 1.5, 0});
  }

  @Test
  public void donchianBreakoutSignalsEqualTa4jChannelRules() throws Exception {
    check(Template.DONCHIAN_BREAKOUT, new double[] {20, 10, 14, 2.0});
    check(Template.DONCHIAN_BREAKOUT, new double[] {10, 30, 7, 3.0});
  }

  @Test
  public void meanReversionSignalsEqualTa4jRsiAndBollingerRules() throws Exception {
    check(Template.MEAN_REVERSION, new double[] {14, 30, 20, 2.0, 2.0, 14});
    check(Template.MEAN_REVERSION, new double[] {7, 40, 30, 1.5, 1.0, 10});
  }

  static Reference reference(Template t, double[] p, BarSeries s) {
    ClosePriceIndicator close = new ClosePriceIndicator(s);
    return switch (t) {
      case TREND_EMA_CROSS -> {
        EMAIndicator fast = new EMAIndicator(close, (int) p[0]), slow = new EMAIndicator(close, (int) p[1]);
        yield new Reference(new CrossedUpIndicatorRule(fast, slow), new CrossedDownIndicatorRule(fast, slow), new ATRIndicator(s, (int) p[2]), null);
      }
      case DONCHIAN_BREAKOUT -> {
        var channelHigh = new PreviousValueIndicator(new HighestValueIndicator(new HighPriceIndicator(s), (int) p[0]));
        var exitLow = new PreviousValueIndicator(new LowestValueIndicator(new LowPriceIndicator(s), (int) p[1]));
        yield new Reference(new OverIndicatorRule(close, channelHigh), new UnderIndicatorRule(close, exitLow), new ATRIndicator(s, (int) p[2]), null);
      }
      case MEAN_REVERSION -> {
        var mid = new BollingerBandsMiddleIndicator(new SMAIndicator(close, (int) p[2]));
        var lower = new BollingerBandsLowerIndicator(mid, new StandardDeviationIndicator(close, (int) p[2]), s.numOf(p[3]));
        Rule entry = new UnderIndicatorRule(new RSIIndicator(close, (int) p[0]), p[1]).and(new UnderIndicatorRule(close, lower));
        yield new Reference(entry, new OverIndicatorRule(close, mid), new ATRIndicator(s, (int) p[5]), mid);
      }
    };
  }

  private static void check(Template t, double[] p) throws Exception {
    double stopAtr = p[t.indexOf("stopAtr")];
    int withBoth = 0; // slices on which both entries and exits were compared
    for (String file : FILES) {
      int entries = 0, exits = 0;
      Ta4jBars bars = Ta4jBars.load(file);
      Reference ref = reference(t, p, bars.series);
      SignalEngine e = t.newEngine(p);
      for (int i = 0; i < bars.size(); i++) {
        Bar b = bars.bars.get(i);
        int got = e.onBar(b.open(), b.high(), b.low(), b.close());
        String at = t + Arrays.toString(p) + " " + file + " bar " + i;
        int want = i < e.warmUpBars() ? SignalEngine.NONE
            : ref.entry().isSatisfied(i) ? SignalEngine.ENTER_LONG
            : ref.exit().isSatisfied(i) ? SignalEngine.EXIT_LONG : SignalEngine.NONE;
        assertEquals(at, want, got);
        if (got == SignalEngine.ENTER_LONG) {
          entries++;
          assertClose(at + " stop", b.close() - stopAtr * ref.atr().getValue(i).doubleValue(), e.stop());
          assertTrue(at + " stop below close", e.stop() < b.close());
          assertTrue(at + " confidence " + e.confidence(), e.confidence() >= 0 && e.confidence() <= 1);
          if (ref.takeProfit() != null) assertClose(at + " take-profit", ref.takeProfit().getValue(i), e.takeProfit());
        } else if (got == SignalEngine.EXIT_LONG) {
          exits++;
        }
      }
      assertEquals(bars.size(), e.bars());
      if (entries > 0 && exits > 0) {
        withBoth++;
      } else {
        // The short ADA slice has no default mean-reversion entry; BTC must always have both.
        assertTrue(t + Arrays.toString(p) + " " + file + ": compared " + entries + " entries, " + exits + " exits", !file.contains("BTCUSDT"));
      }
    }
  }
}
