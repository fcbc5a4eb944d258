package com.quantumtrader.ranker;

import static com.quantumtrader.indicators.Ta4jBars.assertClose;
import static org.junit.Assert.assertEquals;

import com.quantumtrader.indicators.Ta4jBars;
import com.quantumtrader.market.Bar;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.CachedIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.ROCIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.adx.ADXIndicator;
import org.ta4j.core.indicators.adx.MinusDIIndicator;
import org.ta4j.core.indicators.adx.PlusDIIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.Num;

/**
 * Every indicator, updated bar by bar in O(1), equals ta4j's value for the same bars on every bar
 * (within 1e-9 relative), on real exchange candles committed under src/test/resources.
 */
public class IndicatorsVsTa4jTest {
  @Test
  public void btcHourlyCandles() throws Exception {
    check("real/BTCUSDT-1h.csv");
  }

  @Test
  public void ethFiveMinuteCandles() throws Exception {
    check("real/ETHUSDT-5m.csv");
  }

  @Test
  public void equityDailyCandlesWithRealDefectsRemoved() throws Exception {
    check("equities/DHR-1d.csv");
  }

  private void check(String file) throws Exception {
    Ta4jBars t = Ta4jBars.load(file);
    List<Bar> bars = t.bars;
    BarSeries s = t.series;
    ClosePriceIndicator close = new ClosePriceIndicator(s);
    EMAIndicator emaFast = new EMAIndicator(close, Indicators.EMA_FAST);
    EMAIndicator emaSlow = new EMAIndicator(close, Indicators.EMA_SLOW);
    ATRIndicator atr = new ATRIndicator(s, Indicators.ATR_N);
    ADXIndicator adx = new ADXIndicator(s, Indicators.ADX_N);
    PlusDIIndicator pdi = new PlusDIIndicator(s, Indicators.ADX_N);
    MinusDIIndicator mdi = new MinusDIIndicator(s, Indicators.ADX_N);
    StandardDeviationIndicator vol = new StandardDeviationIndicator(new Derived(s, (i) -> i == 0 ? 0 : Math.log(c(s, i) / c(s, i - 1))), Indicators.VOL_N);
    SMAIndicator quote = new SMAIndicator(new Derived(s, i -> s.getBar(i).getAmount().doubleValue()), Indicators.LIQ_N);
    SMAIndicator range = new SMAIndicator(new Derived(s, i -> (s.getBar(i).getHighPrice().doubleValue() - s.getBar(i).getLowPrice().doubleValue()) / c(s, i)), Indicators.LIQ_N);
    List<ROCIndicator> rocs = new ArrayList<>();
    for (int w : Indicators.RETURN_WINDOWS) rocs.add(new ROCIndicator(close, w));

    Indicators ind = new Indicators();
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      ind.update(b.openTime(), b.high(), b.low(), b.close(), b.quoteVolume());
      String at = file + " bar " + i;
      assertClose(at + " emaFast", emaFast.getValue(i), ind.emaFast());
      assertClose(at + " emaSlow", emaSlow.getValue(i), ind.emaSlow());
      assertClose(at + " atr", atr.getValue(i), ind.atr());
      assertClose(at + " +DI", pdi.getValue(i), ind.plusDi());
      assertClose(at + " -DI", mdi.getValue(i), ind.minusDi());
      assertClose(at + " adx", adx.getValue(i), ind.adx());
      assertClose(at + " realized vol", vol.getValue(i), ind.realizedVol());
      assertClose(at + " avg quote volume", quote.getValue(i), ind.avgQuoteVolume());
      assertClose(at + " avg range", range.getValue(i), ind.avgRange());
      for (int k = 0; k < rocs.size(); k++) {
        assertClose(at + " return " + Indicators.RETURN_WINDOWS[k], rocs.get(k).getValue(i).doubleValue() / 100.0, ind.returnOver(Indicators.RETURN_WINDOWS[k]));
      }
    }
    assertEquals(bars.size(), ind.bars());
    // The persisted state brings back exactly the same indicators.
    Indicators back = Indicators.fromState(ind.state());
    assertEquals(ind.state(), back.state());
  }

  private static double c(BarSeries s, int i) {
    return s.getBar(i).getClosePrice().doubleValue();
  }

  /** A ta4j indicator of a value derived from the bars (log return, quote volume, range). */
  private static final class Derived extends CachedIndicator<Num> {
    /** The derived value at a bar index. */
    interface ValueAt {
      double at(int index);
    }

    private final ValueAt f;

    Derived(BarSeries s, ValueAt f) {
      super(s);
      this.f = f;
    }

    @Override
    protected Num calculate(int index) {
      return getBarSeries().numOf(f.at(index));
    }

    @Override
    public int getUnstableBars() {
      return 0;
    }
  }
}
