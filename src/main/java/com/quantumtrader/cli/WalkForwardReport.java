package com.quantumtrader.cli;

import com.quantumtrader.strategy.BacktestResult.Summary;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.WalkForward;
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
  /** A longer window is a typo: a hundred years. */
  static final long MAX_DAYS = 36_500;
  private static final Pattern DAYS = Pattern.compile("\\s*(\\d{1,9})\\s*:\\s*(\\d{1,9})\\s*");

  /** --walk-forward TRAIN:TEST as two whole numbers of days, each in [1, {@link #MAX_DAYS}]. */
  static long[] days(CommandSpec spec, String option) {
    Matcher m = DAYS.matcher(option);
    long train = m.matches() ? Long.parseLong(m.group(1)) : -1, test = m.matches() ? Long.parseLong(m.group(2)) : -1;
    if (train < 1 || test < 1 || train > MAX_DAYS || test > MAX_DAYS) {
      throw new ParameterException(spec.commandLine(), "--walk-forward must be TRAIN:TEST, whole days from 1 to " + MAX_DAYS
          + " each, e.g. 365:90; got " + option);
    }
    return new long[] {train, test};
  }

  /**
   * The windows over one symbol's bars, and how many slots of the tiling the bars reach ({@code
   * slots - windows.size()} of them were left out for want of bars).
   */
  record Tiling<W extends WalkForward.Slot>(List<W> windows, int slots) {
    int skippedCount() {
      return slots - windows.size();
    }

    /** The numbers (from 1, as the report's rows) of the slots left out. */
    List<Integer> skippedNumbers() {
      List<Integer> holes = new java.util.ArrayList<>();
      int k = 0;
      for (W w : windows) {
        for (; k < w.index(); k++) holes.add(k + 1);
        k = w.index() + 1;
      }
      for (; k < slots; k++) holes.add(k + 1);
      return holes;
    }

    /**
     * The slots left out (the windows' numbers skip them), with why: {@code "2 (#3, #4): no bars in
     * ..."}, or "none".
     */
    String skipped(String why) {
      List<String> holes = skippedNumbers().stream().map(n -> "#" + n).toList();
      if (holes.isEmpty()) return "none";
      String list = holes.size() <= 10 ? String.join(", ", holes) : String.join(", ", holes.subList(0, 10)) + ", ...";
      return holes.size() + " (" + list + "): " + why;
    }
  }

  /**
   * The windows over {@code bars}: from the UTC midnight of the first bar, so that they are whole
   * days. None holds a window: a usage error naming the days the candles cover.
   */
  static Tiling<WalkForward.Window> windows(CommandSpec spec, BarArrays bars, long[] days) throws CliException {
    long origin = Math.floorDiv(bars.openTime(0), DAY) * DAY;
    List<WalkForward.Window> w = WalkForward.rollingByTime(bars, origin, days[0] * DAY, days[1] * DAY);
    if (w.isEmpty()) throw tooShort(days, List.of(bars));
    return new Tiling<>(w, WalkForward.slots(bars, origin, days[0] * DAY, days[1] * DAY));
  }

  /**
   * The windows over several symbols' bars (a portfolio): the same days for all, from the UTC midnight
   * of the earliest first bar.
   */
  static Tiling<WalkForward.PortfolioWindow> windows(CommandSpec spec, List<BarArrays> symbols, long[] days) throws CliException {
    long first = symbols.stream().filter(b -> b.size() > 0).mapToLong(b -> b.openTime(0)).min().orElse(0);
    long origin = Math.floorDiv(first, DAY) * DAY;
    List<WalkForward.PortfolioWindow> w = WalkForward.rollingByTime(symbols, origin, days[0] * DAY, days[1] * DAY);
    if (w.isEmpty()) throw tooShort(days, symbols);
    return new Tiling<>(w, WalkForward.slots(symbols, origin, days[0] * DAY, days[1] * DAY));
  }

  private static CliException tooShort(long[] days, List<BarArrays> symbols) {
    List<String> spans = new java.util.ArrayList<>();
    for (BarArrays b : symbols) {
      if (b.size() == 0) continue;
      spans.add(b.symbol + " (" + StrategyInputs.minute(b.openTime(0)) + " .. " + StrategyInputs.minute(b.openTime(b.size() - 1))
          + " UTC)");
    }
    return new CliException(CliException.DATA, "--walk-forward " + days[0] + ":" + days[1] + ": the candles of "
        + String.join(", ", spans) + (symbols.size() > 1 ? " together" : "") + " do not hold one window of " + (days[0] + days[1])
        + " days");
  }

  /**
   * The test windows' equity curves one after the other, each scaled to start where the one before
   * ended (each window ran from {@code capital}): the out-of-sample equity with the returns chained
   * (each window's {@code last / first} point, as its total return), whose last point is {@code
   * capital × (1 + compounded return)}.
   */
  static Curve chainedTestCurve(List<com.quantumtrader.strategy.BacktestResult> tests, double capital) {
    int n = 0;
    for (com.quantumtrader.strategy.BacktestResult r : tests) n += r.equity().length;
    long[] times = new long[n];
    double[] equity = new double[n];
    double base = capital;
    int j = 0;
    for (com.quantumtrader.strategy.BacktestResult r : tests) {
      double[] e = r.equity();
      long[] t = r.openTime();
      for (int i = 0; i < e.length; i++, j++) {
        times[j] = t[i];
        equity[j] = base * (e[i] / e[0]); // the window's return to this point, on what the windows before left
      }
      if (e.length > 0) base = equity[j - 1];
    }
    return new Curve(times, equity);
  }

  /** An equity curve: a point per bar, at its open time (epoch ms). */
  record Curve(long[] times, double[] equity) {}

  /** A window's first and last day (UTC): {@code 2023-01-01..2023-03-31}. */
  static String days(long[] openTime) {
    if (openTime.length == 0) return "-";
    return day(openTime[0]) + ".." + day(openTime[openTime.length - 1]);
  }

  /** The first and last day of a window's bars. */
  static String days(BarArrays b) {
    return b.size() == 0 ? "-" : day(b.openTime(0)) + ".." + day(b.openTime(b.size() - 1));
  }

  private static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  /**
   * The test windows together: how many were profitable, their returns chained (each window starts
   * from the same capital), the mean test and train Sharpe (windows with a defined one), the worst
   * single test window's drawdown, the drawdown of the test windows chained (the out-of-sample equity
   * as a fund would have lived it: a loss carried from one window into the next is one drawdown, which
   * no single window shows) and the test trades.
   */
  record Totals(int windows, int profitable, double compounded, double meanTestSharpe, double meanTrainSharpe, double worstDrawdown,
      double chainedDrawdown, int trades) {
    /** From the training figures, the test runs and their {@link #chainedTestCurve chained curve}. */
    static Totals of(List<Summary> train, List<com.quantumtrader.strategy.BacktestResult> tests, Curve chainedCurve) {
      int profitable = 0, trades = 0, nTest = 0, nTrain = 0;
      double growth = 1, testSharpe = 0, trainSharpe = 0, worst = 0;
      for (com.quantumtrader.strategy.BacktestResult r : tests) {
        Summary m = r.metrics();
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
      double chained = com.quantumtrader.analytics.Metrics.maxDrawdown(chainedCurve.equity());
      return new Totals(tests.size(), profitable, growth - 1, nTest == 0 ? Double.NaN : testSharpe / nTest,
          nTrain == 0 ? Double.NaN : trainSharpe / nTrain, worst, chained, trades);
    }

    /** The lines of the report, after the windows' table. */
    Object[] keyValues(double capital) {
      return new Object[] {
          "out of sample", profitable + " of " + windows + " test windows profitable, " + trades + " trades",
          "compounded test return", StrategyInputs.percent(compounded) + " (each window from " + StrategyInputs.money(capital)
              + "; the returns chained)",
          "mean Sharpe", "test " + StrategyInputs.fixed(meanTestSharpe, 2) + ", train " + StrategyInputs.fixed(meanTrainSharpe, 2)
              + " (windows with a defined Sharpe)",
          "max drawdown", StrategyInputs.percent(chainedDrawdown) + " over the test windows chained; worst in one window "
              + StrategyInputs.percent(worstDrawdown)};
    }

    /** The JSON report's windows and the fields about them all, both commands' (same names, same order). */
    void putJson(Map<String, Object> report, List<Map<String, Object>> windows, Tiling<?> tiling) {
      report.put("windows", windows);
      report.put("outOfSample", json());
      report.put("inSampleMeanSharpe", meanTrainSharpe);
      report.put("skippedWindows", tiling.skippedCount());
      report.put("skippedWindowNumbers", tiling.skippedNumbers());
    }

    /** {@code outOfSample} of the JSON report. */
    Map<String, Object> json() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("windows", windows);
      o.put("profitable", profitable);
      o.put("compoundedReturn", compounded);
      o.put("meanSharpe", meanTestSharpe); // NaN as the windows' metrics write it
      o.put("worstDrawdown", worstDrawdown);
      o.put("chainedMaxDrawdown", chainedDrawdown);
      o.put("trades", trades);
      return o;
    }
  }

}
