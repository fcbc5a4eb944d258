package com.quantumtrader.indicators;

import static com.quantumtrader.indicators.Ta4jBars.assertClose;
import static org.junit.Assert.assertEquals;

import com.quantumtrader.market.Bar;
import java.util.function.DoubleUnaryOperator;
import org.junit.Test;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MMAIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.Num;

/**
 * Each incremental primitive, fed bar by bar, equals ta4j 0.17 (DoubleNum) on every bar of the
 * committed real candles, within 1e-9 relative; several periods, so that windows both fill and roll.
 */
public class PrimitivesVsTa4jTest {
  private static final String[] FILES = {"real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "real/ADAUSDT-1h.csv", "equities/DHR-1d.csv"};
  private static final int[] PERIODS = {1, 2, 5, 14, 20, 50};

  @Test
  public void emaEqualsTa4jOnRealCandles() throws Exception {
    compareOnCloses("EMA", (close, n) -> new EMAIndicator(close, n), n -> new Ema(n)::update);
  }

  @Test
  public void wilderEqualsTa4jMmaOnRealCandles() throws Exception {
    compareOnCloses("MMA", (close, n) -> new MMAIndicator(close, n), n -> new Wilder(n)::update);
  }

  /** A ta4j indicator of closes with a period. */
  private interface Reference {
    Indicator<Num> of(ClosePriceIndicator close, int period);
  }

  /** One of our primitives, as its update of a close. */
  private interface Ours {
    DoubleUnaryOperator of(int period);
  }

  private static void compareOnCloses(String name, Reference reference, Ours ours) throws Exception {
    for (String file : FILES) {
      Ta4jBars t = Ta4jBars.load(file);
      for (int n : PERIODS) {
        Indicator<Num> ref = reference.of(new ClosePriceIndicator(t.series), n);
        DoubleUnaryOperator update = ours.of(n);
        for (int i = 0; i < t.size(); i++) {
          assertClose(file + " " + name + "(" + n + ") bar " + i, ref.getValue(i), update.applyAsDouble(t.bars.get(i).close()));
        }
      }
    }
  }

  @Test
  public void atrEqualsTa4jOnRealCandles() throws Exception {
    for (String file : FILES) {
      Ta4jBars t = Ta4jBars.load(file);
      for (int n : PERIODS) {
        ATRIndicator ref = new ATRIndicator(t.series, n);
        Atr ours = new Atr(n);
        for (int i = 0; i < t.size(); i++) {
          Bar b = t.bars.get(i);
          assertClose(file + " ATR(" + n + ") bar " + i, ref.getValue(i), ours.update(b.high(), b.low(), b.close()));
        }
      }
    }
  }

  @Test
  public void highestAndLowestEqualTa4jOnRealCandles() throws Exception {
    for (String file : FILES) {
      Ta4jBars t = Ta4jBars.load(file);
      for (int n : PERIODS) {
        HighestValueIndicator refMax = new HighestValueIndicator(new HighPriceIndicator(t.series), n);
        LowestValueIndicator refMin = new LowestValueIndicator(new LowPriceIndicator(t.series), n);
        RollingExtreme max = RollingExtreme.max(n), min = RollingExtreme.min(n);
        for (int i = 0; i < t.size(); i++) {
          Bar b = t.bars.get(i);
          // exact: an extreme is one of the inputs
          assertEquals(file + " highest(" + n + ") bar " + i, refMax.getValue(i).doubleValue(), max.update(b.high()), 0.0);
          assertEquals(file + " lowest(" + n + ") bar " + i, refMin.getValue(i).doubleValue(), min.update(b.low()), 0.0);
        }
      }
    }
  }

  @Test
  public void rsiEqualsTa4jOnRealCandles() throws Exception {
    compareOnCloses("RSI", (close, n) -> new RSIIndicator(close, n), n -> new Rsi(n)::update);
  }

  @Test
  public void bollingerBandsEqualTa4jOnRealCandles() throws Exception {
    for (String file : FILES) {
      Ta4jBars t = Ta4jBars.load(file);
      for (int n : new int[] {2, 5, 20, 50}) {
        for (double k : new double[] {1.0, 2.0, 2.5}) {
          ClosePriceIndicator close = new ClosePriceIndicator(t.series);
          BollingerBandsMiddleIndicator mid = new BollingerBandsMiddleIndicator(new SMAIndicator(close, n));
          StandardDeviationIndicator sd = new StandardDeviationIndicator(close, n);
          BollingerBandsUpperIndicator up = new BollingerBandsUpperIndicator(mid, sd, t.series.numOf(k));
          BollingerBandsLowerIndicator lo = new BollingerBandsLowerIndicator(mid, sd, t.series.numOf(k));
          Bollinger ours = new Bollinger(n, k);
          for (int i = 0; i < t.size(); i++) {
            ours.update(t.bars.get(i).close());
            String at = file + " BB(" + n + "," + k + ") bar " + i;
            assertClose(at + " middle", mid.getValue(i), ours.middle());
            // the bands are compared through their distance to the middle: the SD itself, to 1e-9 relative
            assertClose(at + " upper - middle", up.getValue(i).minus(mid.getValue(i)), ours.upper() - ours.middle());
            assertClose(at + " middle - lower", mid.getValue(i).minus(lo.getValue(i)), ours.middle() - ours.lower());
            assertClose(at + " upper", up.getValue(i), ours.upper());
            assertClose(at + " lower", lo.getValue(i), ours.lower());
          }
        }
      }
    }
  }
}
