package com.quantumtrader.strategy;

import com.quantumtrader.market.Bar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.backtest.BarSeriesManager;
import org.ta4j.core.BaseStrategy;
import org.ta4j.core.Strategy;
import org.ta4j.core.analysis.cost.ZeroCostModel;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.rules.CrossedDownIndicatorRule;
import org.ta4j.core.rules.CrossedUpIndicatorRule;
import org.ta4j.core.backtest.TradeOnNextOpenModel;
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

  /**
   * A TREND_EMA_CROSS sweep as a ta4j user would write it to share work: each series' EMA indicators
   * are kept by period in {@code emas} and reused by every parameter set with that period (ta4j
   * caches their values), the rules are new per set. Returns the number of closed positions.
   */
  public int runSharing(StrategySpec spec, List<java.util.Map<Integer, EMAIndicator>> emas) {
    if (spec.template() != Template.TREND_EMA_CROSS) throw new IllegalArgumentException("TREND_EMA_CROSS only");
    while (emas.size() < series.size()) emas.add(new java.util.HashMap<>());
    int n = 0;
    for (int i = 0; i < series.size(); i++) {
      BarSeries s = series.get(i).series;
      java.util.Map<Integer, EMAIndicator> byPeriod = emas.get(i);
      ClosePriceIndicator close = new ClosePriceIndicator(s);
      EMAIndicator fast = byPeriod.computeIfAbsent((int) spec.params()[0], p -> new EMAIndicator(close, p));
      EMAIndicator slow = byPeriod.computeIfAbsent((int) spec.params()[1], p -> new EMAIndicator(close, p));
      Strategy strategy = new BaseStrategy(new CrossedUpIndicatorRule(fast, slow), new CrossedDownIndicatorRule(fast, slow),
          spec.newEngine().warmUpBars());
      n += new BarSeriesManager(s, new ZeroCostModel(), new ZeroCostModel(), new TradeOnNextOpenModel()).run(strategy).getPositionCount();
    }
    return n;
  }

  /** The number of series. */
  public int size() {
    return series.size();
  }

  /**
   * Runs {@code spec} over series {@code i} only, with fresh indicators and rules (the series is
   * only read: several threads may run at once); returns the number of closed positions.
   */
  public int run(StrategySpec spec, int i) {
    return BacktesterVsTa4jTest.ta4jRun(spec, series.get(i)).getPositionCount();
  }

  /** Runs {@code spec} over every series; returns the number of closed positions. */
  public int run(StrategySpec spec) {
    int n = 0;
    for (var b : series) n += BacktesterVsTa4jTest.ta4jRun(spec, b).getPositionCount();
    return n;
  }
}
