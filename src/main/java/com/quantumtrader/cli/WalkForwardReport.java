package com.quantumtrader.cli;

import com.quantumtrader.strategy.BacktestResult.Summary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What {@code backtest --walk-forward} and {@code evolve --walk-forward} share: the option and the test windows together. */
final class WalkForwardReport {
  private WalkForwardReport() {}

  static final long DAY = 86_400_000L;
  private static final Pattern DAYS = Pattern.compile("\\s*(\\d{1,5})\\s*:\\s*(\\d{1,5})\\s*");

  /** --walk-forward TRAIN:TEST as two whole numbers of days, each >= 1. */
  static long[] days(CommandSpec spec, String option) {
    Matcher m = DAYS.matcher(option);
    if (!m.matches() || Long.parseLong(m.group(1)) < 1 || Long.parseLong(m.group(2)) < 1) {
      throw new ParameterException(spec.commandLine(), "--walk-forward must be TRAIN:TEST in whole days >= 1, e.g. 365:90; got "
          + option);
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  /** A window's first and last day (UTC): {@code 2023-01-01..2023-03-31}. */
  static String days(long[] openTime) {
    if (openTime.length == 0) return "-";
    return day(openTime[0]) + ".." + day(openTime[openTime.length - 1]);
  }

  /** The first and last day of a window's bars. */
  static String days(com.quantumtrader.strategy.BarArrays b) {
    return b.size() == 0 ? "-" : day(b.openTime(0)) + ".." + day(b.openTime(b.size() - 1));
  }

  private static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  /**
   * The test windows together: how many were profitable, their returns chained (each window starts
   * from the same capital), the mean test and train Sharpe (windows with a defined one), the worst
   * test drawdown and the test trades.
   */
  record Totals(int windows, int profitable, double compounded, double meanTestSharpe, double meanTrainSharpe, double worstDrawdown,
      int trades) {
    static Totals of(List<Summary> train, List<Summary> test) {
      int profitable = 0, trades = 0, nTest = 0, nTrain = 0;
      double growth = 1, testSharpe = 0, trainSharpe = 0, worst = 0;
      for (Summary m : test) {
        if (m.totalReturn() > 0) profitable++;
        growth *= 1 + m.totalReturn();
        trades += m.tradeCount();
        worst = Math.max(worst, m.maxDrawdown());
        if (!Double.isNaN(m.sharpe())) {
          testSharpe += m.sharpe();
          nTest++;
        }
      }
      for (Summary m : train) {
        if (!Double.isNaN(m.sharpe())) {
          trainSharpe += m.sharpe();
          nTrain++;
        }
      }
      return new Totals(test.size(), profitable, growth - 1, nTest == 0 ? Double.NaN : testSharpe / nTest,
          nTrain == 0 ? Double.NaN : trainSharpe / nTrain, worst, trades);
    }

    /** The lines of the report, after the windows' table. */
    Object[] keyValues(double capital) {
      return new Object[] {
          "out of sample", profitable + " of " + windows + " test windows profitable, " + trades + " trades",
          "compounded test return", StrategyInputs.percent(compounded) + " (each window from " + StrategyInputs.money(capital)
              + "; the returns chained)",
          "mean Sharpe", "test " + StrategyInputs.fixed(meanTestSharpe, 2) + ", train " + StrategyInputs.fixed(meanTrainSharpe, 2)
              + " (windows with a defined Sharpe)",
          "worst test drawdown", StrategyInputs.percent(worstDrawdown)};
    }

    /** {@code outOfSample} of the JSON report. */
    Map<String, Object> json() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("windows", windows);
      o.put("profitable", profitable);
      o.put("compoundedReturn", compounded);
      o.put("meanSharpe", nullIfNaN(meanTestSharpe));
      o.put("worstDrawdown", worstDrawdown);
      o.put("trades", trades);
      return o;
    }
  }

  static Object nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
