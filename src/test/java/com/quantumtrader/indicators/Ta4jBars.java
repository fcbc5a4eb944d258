package com.quantumtrader.indicators;

import static org.junit.Assert.assertTrue;

import com.quantumtrader.market.Bar;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.RejectCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

/** The committed real candles, as our bars and as a ta4j (DoubleNum) series, for reference checks. */
public final class Ta4jBars {
  public static final double REL = 1e-9;

  public final String file;
  public final List<Bar> bars;
  public final BarSeries series;

  private Ta4jBars(String file, List<Bar> bars, BarSeries series) {
    this.file = file;
    this.bars = bars;
    this.series = series;
  }

  /** Loads {@code src/test/resources/market/<file>}. */
  public static Ta4jBars load(String file) throws Exception {
    return load(file, Path.of(Ta4jBars.class.getResource("/market/" + file).toURI()));
  }

  /** Loads a candle file by its path. */
  public static Ta4jBars load(String file, Path path) throws Exception {
    List<Bar> bars = new ArrayList<>();
    try (CsvFolderFeed f = new CsvFolderFeed(path, new RejectCounts())) {
      for (Bar b; (b = f.next()) != null; ) bars.add(b);
    }
    BarSeries s = new BaseBarSeriesBuilder().withName(file).withNumTypeOf(DoubleNum.class).build();
    for (Bar b : bars) {
      s.addBar(Duration.ofMinutes(1), Instant.ofEpochMilli(b.openTime()).atZone(ZoneOffset.UTC).plusMinutes(1),
          b.open(), b.high(), b.low(), b.close(), b.baseVolume(), b.quoteVolume());
    }
    return new Ta4jBars(file, bars, s);
  }

  /** Wraps bars and a series already built from them. */
  public static Ta4jBars of(String name, List<Bar> bars, BarSeries series) {
    return new Ta4jBars(name, bars, series);
  }

  public int size() {
    return bars.size();
  }

  /** Equal within {@link #REL} relative, with a 1e-12 floor for values that are zero in exact arithmetic. */
  public static void assertClose(String what, Num expected, double actual) {
    assertClose(what, expected.doubleValue(), actual);
  }

  public static void assertClose(String what, double expected, double actual) {
    double tol = REL * Math.max(Math.abs(expected), Math.abs(actual));
    assertTrue(what + ": ta4j " + expected + " vs ours " + actual, Math.abs(expected - actual) <= Math.max(tol, 1e-12));
  }
}
