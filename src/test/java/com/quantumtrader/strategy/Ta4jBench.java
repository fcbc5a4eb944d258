package com.quantumtrader.strategy;

import com.quantumtrader.market.Bar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;

/**
 * The ta4j side of {@code bench.BacktestBench}: the cross-check's exact ta4j set-up ({@link
 * BacktesterVsTa4jTest#ta4jRun}) over DoubleNum series built once; each run builds fresh indicators
 * and rules (ta4j caches indicator values, so reusing them would time a cache lookup).
 */
public final class Ta4jBench {
  private final List<com.quantumtrader.indicators.Ta4jBars> series = new ArrayList<>();

  public Ta4jBench(List<List<Bar>> data) {
    for (List<Bar> bars : data) {
      BarSeries s = new BaseBarSeriesBuilder().withName(bars.get(0).symbol()).withNumTypeOf(DoubleNum.class).build();
      for (Bar b : bars) {
        s.addBar(Duration.ofMinutes(1), Instant.ofEpochMilli(b.openTime()).atZone(ZoneOffset.UTC).plusMinutes(1),
            b.open(), b.high(), b.low(), b.close(), b.baseVolume(), b.quoteVolume());
      }
      series.add(com.quantumtrader.indicators.Ta4jBars.of(bars.get(0).symbol(), bars, s));
    }
  }

  /** Runs {@code spec} over every series; returns the number of closed positions. */
  public int run(StrategySpec spec) {
    int n = 0;
    for (var b : series) n += BacktesterVsTa4jTest.ta4jRun(spec, b).getPositionCount();
    return n;
  }
}
