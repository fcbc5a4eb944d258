package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.market.Bar;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.RejectCounts;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
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
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

/**
 * Every indicator, updated bar by bar in O(1), equals ta4j's value for the same bars on every bar
 * (within 1e-9 relative), on real exchange candles committed under src/test/resources.
 */
public class IndicatorsVsTa4jTest {
  private static final double REL = 1e-9;

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
    List<Bar> bars = new ArrayList<>();
    try (CsvFolderFeed f = new CsvFolderFeed(resource(file), new RejectCounts())) {
      for (Bar b; (b = f.next()) != null; ) bars.add(b);
    }
    BarSeries s = new BaseBarSeriesBuilder().withName(file).withNumTypeOf(DoubleNum.class).build();
    for (Bar b : bars) {
      s.addBar(Duration.ofMinutes(1), Instant.ofEpochMilli(b.openTime()).atZone(ZoneOffset.UTC).plusMinutes(1),
          b.open(), b.high(), b.low(), b.close(), b.baseVolume(), b.quoteVolume());
    }
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
      close(at + " emaFast", emaFast.getValue(i), ind.emaFast());
      close(at + " emaSlow", emaSlow.getValue(i), ind.emaSlow());
      close(at + " atr", atr.getValue(i), ind.atr());
      close(at + " +DI", pdi.getValue(i), ind.plusDi());
      close(at + " -DI", mdi.getValue(i), ind.minusDi());
      close(at + " adx", adx.getValue(i), ind.adx());
      close(at + " realized vol", vol.getValue(i), ind.realizedVol());
      close(at + " avg quote volume", quote.getValue(i), ind.avgQuoteVolume());
      close(at + " avg range", range.getValue(i), ind.avgRange());
      for (int k = 0; k < rocs.size(); k++) {
        close(at + " return " + Indicators.RETURN_WINDOWS[k], rocs.get(k).getValue(i).doubleValue() / 100.0, ind.returnOver(Indicators.RETURN_WINDOWS[k]));
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

  private static void close(String what, Num expected, double actual) {
    close(what, expected.doubleValue(), actual);
  }

  private static void close(String what, double expected, double actual) {
    double tol = REL * Math.max(Math.abs(expected), Math.abs(actual));
    // A floor for values that are zero in exact arithmetic (a flat bar's DI, a zero return).
    assertTrue(what + ": ta4j " + expected + " vs ours " + actual, Math.abs(expected - actual) <= Math.max(tol, 1e-12));
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

  static Path resource(String p) throws URISyntaxException {
    return Path.of(IndicatorsVsTa4jTest.class.getResource("/market/" + p).toURI());
  }
}
