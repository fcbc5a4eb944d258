package com.quantumtrader.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.quantumtrader.common.Names;
import com.quantumtrader.common.Numbers;
import com.quantumtrader.strategy.BacktestResult;
import com.quantumtrader.strategy.BacktestResult.ExitKind;
import com.quantumtrader.strategy.BacktestResult.Summary;
import com.quantumtrader.strategy.BacktestResult.Trade;
import com.quantumtrader.strategy.Backtester;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.FillRules;
import com.quantumtrader.strategy.StrategySpec;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.strategy.WalkForward;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Backtests a template on candle files, locally (no node): the metrics, a trade summary and an HTML
 * equity chart. Several symbols in a folder (without --symbol) run as one portfolio on shared equity.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Backtest a strategy template on candle files (no node needed): metrics, trades and an equity chart.")
public final class BacktestCommand extends CliCommand {
  @Mixin
  StrategyChoice choice;

  @Mixin
  CandleData candles;

  @Mixin
  MinConfidence minConfidence;

  /** Above this a fee or slippage is a typo (0.6 for 0.006), not a market: 10 % per fill. */
  static final double MAX_COST_RATE = 0.1;

  @Option(names = "--fee", defaultValue = "0.001", paramLabel = "RATE",
      description = "Fee per fill, a fraction of notional in [0, 0.1) (default ${DEFAULT-VALUE}, i.e. 0.1 %%).")
  double fee;

  @Option(names = "--slippage", defaultValue = "0.0005", paramLabel = "RATE",
      description = "Slippage per market or stop fill, a fraction of price in [0, 0.1) (default ${DEFAULT-VALUE}, i.e. 0.05 %%).")
  double slippage;

  @Option(names = "--capital", defaultValue = "10000", paramLabel = "MONEY", description = "Initial equity, > 0 and at most 1e15 (default ${DEFAULT-VALUE}).")
  double capital;

  @Option(names = "--risk", defaultValue = "0.01", paramLabel = "FRACTION",
      description = "Loss to the stop per trade, a fraction of equity in (0, 0.1] as the policy allows (default ${DEFAULT-VALUE});"
          + " exposure at most 1x equity.")
  double risk;

  @Option(names = "--max-positions", defaultValue = "10", paramLabel = "N",
      description = "Positions open at once in a portfolio, 1 to 1000 (default ${DEFAULT-VALUE}, the NORMAL policy's). When the"
          + " free slots or the exposure room cannot take every entry signalled on one bar, the most confident entries get them.")
  int maxPositions;

  /** The symbols the run trades (set once the candles are read). */
  private int symbolCount;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = StrategyInputs.Day.class, description = "First day traded (UTC).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = StrategyInputs.Day.class,
      description = "Last day traded (UTC, inclusive; not before --from).")
  LocalDate to;

  @Option(names = "--chart", paramLabel = "FILE.html",
      description = "Where the equity chart goes, an .html (or .htm) file in an existing folder (default"
          + " backtest-<template>-<symbol>.html, or -portfolio.html for several symbols, in the current folder; with"
          + " --walk-forward, -walk-forward.html after either).")
  Path chart;

  @Option(names = "--no-chart", description = "Write no chart.")
  boolean noChart;

  @Option(names = "--json", description = "Print a JSON report instead of tables: metrics, fees, every trade and the equity curve.")
  boolean json;

  @Option(names = "--walk-forward", paramLabel = "TRAIN:TEST",
      description = "Rolling walk-forward windows, in days (e.g. 365:90): the parameters on each training window and, warmed up"
          + " on it, on the test window after it; the windows move on by TEST days. Several symbols run as one portfolio in each"
          + " window. The chart is the test windows' equity, chained.")
  String walkForward;

  /**
   * The footer of {@code backtest --help} and {@code evolve --help}: each template's parameters, as
   * {@code --params} names them, with their defaults and ranges (they were found only by naming one wrong).
   */
  public static String templatesHelp() {
    StringBuilder sb = new StringBuilder("%nTemplates and their --params (default, range):%n");
    for (Template t : Template.values()) {
      sb.append("  ").append(StrategyInputs.kebab(t)).append("%n");
      for (Template.Param p : t.params()) {
        sb.append(String.format(java.util.Locale.ROOT, "    %-14s %-5s %s..%s%s%%n", p.name(), StrategyInputs.trim(p.defaultValue()),
            StrategyInputs.trim(p.min()), StrategyInputs.trim(p.max()), p.integer() ? ", whole number" : ""));
      }
    }
    return sb.toString();
  }

  /** The largest --capital: past it the report's figures stop being amounts anyone reads (and doubles lose cents). */
  static final double MAX_CAPITAL = 1e15;

  @Override
  void run() throws CliException {
    Template template = choice.template();
    double[] p = choice.params(template);
    checkOptions();
    long[] wf = walkForward == null ? null : WalkForwardReport.days(spec, walkForward);
    if (!noChart) {
      // before the candles are read and the run is made: a chart that cannot be written is known now
      if (chart != null) checkChart(chart);
      else checkDefaultChartFolder();
    }
    Backtester.Config config;
    try {
      config = new Backtester.Config(capital, new FillRules.Costs(fee, slippage), Backtester.Sizing.risk(risk, 1.0, maxPositions), true);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    config = minConfidence.apply(spec, config);
    List<BarArrays> loaded = candles.load(spec);
    List<BarArrays> bars = new ArrayList<>();
    for (BarArrays b : loaded) bars.add(window(b));
    if (bars.stream().allMatch(b -> b.size() == 0)) {
      String window = from == null && to == null ? "" : daysChosen() + " ";
      throw new CliException(CliException.DATA, "no candles " + window + "in " + candles.data + ": it covers " + covered(loaded));
    }
    List<String> outside = bars.stream().filter(b -> b.size() == 0).map(b -> b.symbol).toList();
    if (!outside.isEmpty()) { // only when --from or --to cut the candles: a symbol is loaded with bars
      err().println("quantum-trader: left out, without candles " + daysChosen() + ": " + Names.few(outside));
    }
    bars.removeIf(b -> b.size() == 0);
    symbolCount = bars.size();
    checkEnoughBars(template, p, bars);
    StrategySpec s = new StrategySpec(StrategyInputs.kebab(template), template, p);
    Backtester backtester = new Backtester(config);
    String name = bars.size() == 1 ? bars.get(0).symbol : "portfolio";
    if (wf != null) {
      Path chartFile = noChart ? null
          : chart != null ? chart : Path.of("backtest-" + StrategyInputs.kebab(template) + "-" + name + "-walk-forward.html");
      walkForward(backtester, s, template, p, bars, wf[0], wf[1], chartFile);
      return;
    }
    BacktestResult r = bars.size() == 1 ? backtester.run(s, bars.get(0)) : backtester.portfolio(s, bars);
    Path chartFile = noChart ? null : (chart != null ? chart : Path.of("backtest-" + StrategyInputs.kebab(template) + "-" + name + ".html"));
    if (chartFile != null) {
      try {
        EquityChart.write(chartFile, StrategyInputs.kebab(template) + " on " + symbolsShown(r.symbol()) + " (" + StrategyInputs.describe(template, p) + ")",
            r.openTime(), r.equity(), figures(r, template, p));
      } catch (IOException e) {
        // the report still, then the failure (a long run's figures are not lost to a chart's path)
        if (json) printJson(r, template, p, bars, null);
        else printTables(r, template, p, bars, null);
        throw new CliException(1, "cannot write the chart " + chartFile + ": " + EquityChart.reason(e));
      }
    }
    if (json) printJson(r, template, p, bars, chartFile);
    else printTables(r, template, p, bars, chartFile);
  }

  /**
   * Candles too few for the strategy to trade: its first signal comes after its warm-up and fills on
   * the bar after, so a symbol with fewer bars could only report NaN figures. All too short is an
   * error; some too short in a portfolio are named on stderr (they stay in, never trading).
   */
  private void checkEnoughBars(Template template, double[] p, List<BarArrays> bars) throws CliException {
    int needed = template.newEngine(p).warmUpBars() + 2;
    List<String> tooShort = bars.stream().filter(b -> b.size() < needed).map(b -> b.symbol + " has " + StrategyInputs.count(b.size(), "bar")).toList();
    if (tooShort.isEmpty()) return;
    String why = StrategyInputs.kebab(template) + " (" + StrategyInputs.describe(template, p) + ") warms up on its first "
        + (needed - 2) + " bars and fills a signal on the bar after it, so it needs at least " + needed + " bars to trade";
    String where = from == null && to == null ? "" : " " + daysChosen();
    if (tooShort.size() == bars.size()) {
      throw new CliException(CliException.DATA, "too few candles" + where + " to trade: " + Names.few(tooShort) + "; " + why);
    }
    err().println("quantum-trader: too few candles" + where + " to trade, in the portfolio but never trading: "
        + Names.few(tooShort) + "; " + why);
  }

  /** The run's numbers, each refused with its flag and value (the backtester's own checks do not name flags). */
  private void checkOptions() {
    if (noChart && chart != null) {
      throw new ParameterException(spec.commandLine(), "--chart " + chart + " and --no-chart ask for a chart and for none: give one of them");
    }
    if (!(capital > 0 && capital <= MAX_CAPITAL)) {
      throw new ParameterException(spec.commandLine(), "--capital must be an amount > 0 and at most 1e15, got "
          + Numbers.typed(capital));
    }
    if (!(fee >= 0 && fee < MAX_COST_RATE)) {
      throw new ParameterException(spec.commandLine(), "--fee must be a fraction of notional in [0, " + MAX_COST_RATE + ") (0.001 is 0.1 %), got "
          + Numbers.typed(fee));
    }
    if (!(slippage >= 0 && slippage < MAX_COST_RATE)) {
      throw new ParameterException(spec.commandLine(), "--slippage must be a fraction of price in [0, " + MAX_COST_RATE
          + ") (0.0005 is 0.05 %), got " + Numbers.typed(slippage));
    }
    if (!(risk > 0 && risk <= 0.1)) {
      throw new ParameterException(spec.commandLine(), "--risk must be a fraction of equity in (0, 0.1] (the policy's range), got " + Numbers.typed(risk));
    }
    if (maxPositions < 1 || maxPositions > 1000) {
      throw new ParameterException(spec.commandLine(), "--max-positions must be a whole number from 1 to 1000, got " + maxPositions);
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw new ParameterException(spec.commandLine(), "--from " + from + " is after --to " + to);
    }
  }

  /** --chart: an HTML file (the chart is a page, whatever the name says) in a folder that exists. */
  private void checkChart(Path file) {
    String lower = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".html") && !lower.endsWith(".htm")) {
      throw new ParameterException(spec.commandLine(), "--chart: " + file + " does not end in .html or .htm; the chart is an HTML page"
          + " (e.g. --chart equity.html)");
    }
    if (Files.isDirectory(file)) throw new ParameterException(spec.commandLine(), "--chart: " + file + " is a folder");
    String problem = folderProblem(file.toAbsolutePath().getParent());
    if (problem != null) throw new ParameterException(spec.commandLine(), "--chart: cannot write " + file + ": " + problem);
  }

  private void checkDefaultChartFolder() throws CliException {
    String problem = folderProblem(Path.of("").toAbsolutePath());
    if (problem != null) {
      throw new CliException(1, "cannot write the chart into the current folder: " + problem + "; give --chart FILE.html or --no-chart");
    }
  }

  /** Why no file can be made in {@code folder}, or null. */
  private static String folderProblem(Path folder) {
    if (folder == null) return null;
    if (!Files.exists(folder)) {
      Path missing = folder;
      while (missing.getParent() != null && !Files.exists(missing.getParent())) missing = missing.getParent();
      return "the folder " + folder + " does not exist" + (missing.equals(folder) ? "" : " (nor does " + missing + ")");
    }
    if (!Files.isDirectory(folder)) return folder + " is not a folder";
    if (!Files.isWritable(folder)) return "the folder " + folder + " is not writable";
    return null;
  }

  /** The days the candles cover, for a window that holds none of them. */
  private static String covered(List<BarArrays> loaded) {
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
    for (BarArrays b : loaded) {
      if (b.size() == 0) continue;
      first = Math.min(first, b.openTime(0));
      last = Math.max(last, b.openTime(b.size() - 1));
    }
    return first > last ? "no bars" : StrategyInputs.minute(first) + " .. " + StrategyInputs.minute(last) + " (UTC)";
  }

  /** The bars within --from / --to. */
  private BarArrays window(BarArrays b) {
    int i = from == null ? 0 : b.indexAtOrAfter(from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    int j = to == null ? b.size() : b.indexAtOrAfter(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    return b.slice(i, Math.max(i, j));
  }

  private String period(BacktestResult r) {
    long[] t = r.openTime();
    return t.length == 0 ? "-" : StrategyInputs.minute(t[0]) + " .. " + StrategyInputs.minute(t[t.length - 1]);
  }

  private Map<String, String> figures(BacktestResult r, Template template, double[] p) {
    Summary m = r.metrics();
    Map<String, String> f = new LinkedHashMap<>();
    f.put("template", StrategyInputs.kebab(template));
    f.put("params", StrategyInputs.describe(template, p));
    f.put("symbols", symbolsShown(r.symbol()));
    f.put("total return", StrategyInputs.percent(m.totalReturn()));
    // an undefined figure says why (in --json it stays NaN)
    String flat = m.tradeCount() == 0 && !r.openAtEnd() ? "n/a (no trade)" : "n/a (equity never moved)";
    f.put("Sharpe", Double.isNaN(m.sharpe()) ? flat : StrategyInputs.fixed(m.sharpe(), 2));
    f.put("Sortino", Double.isNaN(m.sortino()) ? (Double.isNaN(m.sharpe()) ? flat : "n/a (no losing bar)") : StrategyInputs.fixed(m.sortino(), 2));
    f.put("max drawdown", StrategyInputs.percent(m.maxDrawdown()));
    f.put("win rate", m.tradeCount() == 0 ? "n/a (no closed trade)" : StrategyInputs.percent(m.winRate()));
    f.put("profit factor", m.tradeCount() == 0 ? "n/a (no closed trade)"
        : Double.isNaN(m.profitFactor()) ? "n/a (no losing trade)" : StrategyInputs.fixed(m.profitFactor(), 2));
    f.put("exposure", StrategyInputs.percent(m.exposure()));
    f.put("trades", Integer.toString(m.tradeCount()));
    f.put("fees paid", StrategyInputs.money(feesPaid(r)) + " (closed trades)");
    f.put("slippage cost", StrategyInputs.money(slippageCost(r)) + " (closed trades: their fill prices against the open or the stop level)");
    f.put("final equity", StrategyInputs.money(m.finalEquity()));
    f.put("open at end", openAtEnd(r));
    f.put("bars", Integer.toString(r.equity().length));
    f.put("period", period(r));
    f.put("costs", costsLine());
    return f;
  }

  /**
   * What slippage cost the closed trades: each market or stop fill is the open (or the stop level)
   * moved against the trader by the slippage fraction (FillRules), so for a long trade the entry paid
   * {@code price × s / (1 + s)} a unit more and a market, stop or end-of-data exit got {@code price ×
   * s / (1 − s)} a unit less; a take-profit is a limit fill, without slippage.
   */
  private double slippageCost(BacktestResult r) {
    double sum = 0;
    for (Trade t : r.trades()) {
      sum += t.quantity() * t.entryPrice() * slippage / (1 + slippage);
      if (t.exitKind() != ExitKind.TAKE_PROFIT) sum += t.quantity() * t.exitPrice() * slippage / (1 - slippage);
    }
    return sum;
  }

  /** A stop or take-profit level as the trade table shows it: "-" for none. */
  private static String level(double v) {
    return Double.isNaN(v) ? "-" : StrategyInputs.price(v);
  }

  /** The entry and exit fees of the closed trades (a position open at the end paid its entry fee too: in its unrealized PnL). */
  private static double feesPaid(BacktestResult r) {
    double sum = 0;
    for (Trade t : r.trades()) sum += t.fees();
    return sum;
  }

  /** What the positions still open after the last bar are worth against their cost, entry fees included; NaN when none is. */
  private static double unrealizedPnl(BacktestResult r) {
    if (!r.openAtEnd()) return Double.NaN;
    double sum = 0;
    for (BacktestResult.OpenPosition o : r.openPositions()) sum += o.unrealizedPnl();
    return sum;
  }

  private static String openAtEnd(BacktestResult r) {
    if (!r.openAtEnd()) return "none";
    List<String> each = new ArrayList<>();
    for (BacktestResult.OpenPosition o : r.openPositions()) {
      each.add(o.symbol() + " " + StrategyInputs.number(o.quantity()) + " since " + StrategyInputs.minute(o.entryTime()) + " at "
          + StrategyInputs.number(o.entryPrice()) + ", last close " + StrategyInputs.number(o.lastClose()) + ", unrealized PnL "
          + StrategyInputs.money(o.unrealizedPnl()));
    }
    return String.join("; ", each) + " (entry fee included; in the equity, not in the trades)";
  }

  /** One walk-forward window's two runs, for one symbol or a portfolio. */
  private record WindowRuns(int index, BacktestResult train, BacktestResult test) {}

  /**
   * The parameters window by window: in sample on each training window, out of sample on the test
   * window after it. Several symbols run as one portfolio in each window, as without --walk-forward.
   */
  /**
   * A window's test trades only once the strategy has warmed up on the window's training and test bars
   * ({@code bars}: each window's, for a portfolio its symbol with the most) and a signal can fill on
   * the bar after: refused when no window can (before, 0 trades in every window and a return of 0.00
   * %, exit 0), said when some cannot.
   */
  private void requireWarmUp(StrategySpec s, int[] bars) {
    int needed = s.newEngine().warmUpBars() + 2;
    long short_ = java.util.Arrays.stream(bars).filter(n -> n < needed).count();
    if (short_ == 0) return;
    String why = s.template().name().toLowerCase(Locale.ROOT).replace('_', '-') + " with " + StrategyInputs.describe(s.template(), s.params())
        + " warms up on " + (needed - 2) + " bars and fills a signal on the bar after: a window needs " + needed + " bars in its training and"
        + " test days together";
    if (short_ == bars.length) {
      throw new ParameterException(spec.commandLine(), "--walk-forward " + walkForward + ": no window can trade: " + why + ", and the"
          + " longest holds " + java.util.Arrays.stream(bars).max().orElse(0) + ": give more days");
    }
    err().println("quantum-trader: " + StrategyInputs.count(short_, "window") + " of " + String.format(Locale.ROOT, "%,d", bars.length)
        + " cannot trade: " + why);
  }

  private void walkForward(Backtester backtester, StrategySpec s, Template template, double[] p, List<BarArrays> bars,
      long trainDays, long testDays, Path chartFile) throws CliException {
    long[] days = {trainDays, testDays};
    WalkForwardReport.Tiling<?> tiling;
    List<WindowRuns> results = new ArrayList<>();
    if (bars.size() == 1) {
      WalkForwardReport.Tiling<WalkForward.Window> one = WalkForwardReport.windows(spec, bars.get(0), days);
      requireWarmUp(s, one.windows().stream().mapToInt(w -> w.warmUpAndTest().size()).toArray());
      for (WalkForward.WindowResult r : WalkForward.run(backtester, s, one.windows())) {
        results.add(new WindowRuns(r.window().index(), r.train(), r.test()));
      }
      tiling = one;
    } else {
      WalkForwardReport.Tiling<WalkForward.PortfolioWindow> all = WalkForwardReport.windows(spec, bars, days);
      requireWarmUp(s, all.windows().stream().mapToInt(w -> w.warmUpAndTest().stream().mapToInt(BarArrays::size).max().orElse(0)).toArray());
      for (WalkForward.PortfolioResult r : WalkForward.runPortfolio(backtester, s, all.windows())) {
        results.add(new WindowRuns(r.window().index(), r.train(), r.test()));
      }
      tiling = all;
    }
    // a signal fills on the bar after it: a test window of one time step cannot trade
    long single = results.stream().filter(r -> r.test().equity().length < 2).count();
    if (single == results.size()) {
      throw new ParameterException(spec.commandLine(), "--walk-forward " + walkForward + ": every test window holds a single bar, on"
          + " which nothing can trade (a signal fills on the bar after it): give more test days");
    }
    if (single > 0) {
      err().println("quantum-trader: " + StrategyInputs.count(single, "test window") + " of " + String.format(Locale.ROOT, "%,d", results.size()) + (single == 1 ? " has" : " have")
          + " a single bar, on which nothing can trade (a signal fills on the bar after it): give more test days");
    }
    long[] lastTest = results.get(results.size() - 1).test().openTime();
    long testedTo = lastTest[lastTest.length - 1];
    int untested = 0;
    List<String> untestedSymbols = new ArrayList<>();
    for (BarArrays b : bars) {
      int after = b.size() - b.indexAtOrAfter(testedTo + 1);
      untested += after;
      if (after > 0) untestedSymbols.add(b.symbol);
    }
    List<BacktestResult> tests = results.stream().map(WindowRuns::test).toList();
    WalkForwardReport.Curve curve = WalkForwardReport.chainedTestCurve(tests, capital); // the report's drawdown and the chart's line
    WalkForwardReport.Totals oos = WalkForwardReport.Totals.of(results.stream().map(r -> r.train().metrics()).toList(), tests, curve);
    String symbols = symbolsShown(String.join(",", bars.stream().map(b -> b.symbol).toList()));
    if (chartFile != null) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("template", StrategyInputs.kebab(template));
      f.put("params", StrategyInputs.describe(template, p));
      f.put("symbols", symbols);
      f.put("windows", trainDays + " days to train, " + testDays + " to test; " + results.size() + " test windows, one after"
          + " the other (" + tiling.skippedCount() + " without bars left out)");
      Object[] kv = oos.keyValues(capital);
      for (int k = 0; k + 1 < kv.length; k += 2) f.put(kv[k].toString(), kv[k + 1].toString());
      f.put("costs", costsLine());
      try {
        EquityChart.write(chartFile, "walk-forward " + StrategyInputs.kebab(template) + " on " + symbols + ": the test windows chained ("
            + StrategyInputs.describe(template, p) + ")", curve.times(), curve.equity(), f);
      } catch (IOException e) {
        throw new CliException(1, "cannot write the chart " + chartFile + ": " + EquityChart.reason(e));
      }
    }
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("template", StrategyInputs.kebab(template));
      j.put("params", StrategyInputs.named(template, p));
      j.put("symbols", bars.stream().map(b -> b.symbol).toList()); // a list, also of one: as a plain backtest's
      j.put("interval", intervals(bars));
      j.put("costs", costs());
      j.put("trainDays", trainDays);
      j.put("testDays", testDays);
      List<Map<String, Object>> ws = new ArrayList<>();
      for (WindowRuns r : results) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("index", r.index());
        w.put("number", r.index() + 1); // as the text report's rows
        w.put("train", windowJson(r.train()));
        w.put("test", windowJson(r.test()));
        ws.add(w);
      }
      oos.putJson(j, ws, tiling);
      j.put("untestedBars", untested);
      j.put("untestedSymbols", untestedSymbols);
      j.put("chart", chartFile == null ? null : chartFile.toAbsolutePath().normalize().toString());
      printJsonObject(j);
      return;
    }
    out().println("walk-forward " + StrategyInputs.kebab(template) + " on " + symbols + " " + intervals(bars)
        + (bars.size() > 1 ? " (portfolio of " + bars.size() + ")" : "") + " (" + StrategyInputs.describe(template, p) + "): "
        + trainDays + " days to train, " + testDays + " to test, " + results.size() + " windows" + (tiling.skippedCount() > 0 ? " (and "
            + tiling.skippedCount() + " without bars, left out)" : ""));
    out().println();
    Table t = new Table("#", "TRAIN", "TRADES", "RETURN", "SHARPE", "TEST", "TRADES", "RETURN", "SHARPE", "MAX DD", "PF");
    // # is the window's slot: a slot without bars is left out, and its number with it
    for (WindowRuns r : results) {
      Summary in = r.train().metrics(), out = r.test().metrics();
      t.row(Integer.toString(r.index() + 1), WalkForwardReport.days(r.train().openTime()), Integer.toString(in.tradeCount()),
          StrategyInputs.percent(in.totalReturn()), StrategyInputs.fixed(in.sharpe(), 2), WalkForwardReport.days(r.test().openTime()),
          Integer.toString(out.tradeCount()), StrategyInputs.percent(out.totalReturn()), StrategyInputs.fixed(out.sharpe(), 2),
          StrategyInputs.percent(out.maxDrawdown()), StrategyInputs.fixed(out.profitFactor(), 2));
    }
    t.print(out());
    out().println();
    List<Object> lines = new ArrayList<>(List.of(oos.keyValues(capital)));
    String whose = bars.size() == 1 ? ""
        : untestedSymbols.size() == bars.size() ? " of the " + bars.size() + " symbols"
        : untestedSymbols.size() <= 4 ? " of " + String.join(", ", untestedSymbols)
        : " of " + untestedSymbols.size() + " of the " + bars.size() + " symbols";
    lines.addAll(List.of("skipped windows", tiling.skipped("no bars in their training or test days"), "not tested", untested == 0 ? "none" : "the last " + String.format(Locale.ROOT, "%,d", untested)
        + " bars" + whose + " (after " + StrategyInputs.minute(testedTo) + "), in no test window",
        "costs", costsLine()));
    if (chartFile != null) {
      lines.addAll(List.of("chart", chartFile.toAbsolutePath().normalize() + " (the test windows' equity, chained)"));
    }
    Table.keyValues(out(), lines.toArray());
  }

  private static Map<String, Object> windowJson(BacktestResult r) {
    Map<String, Object> w = new LinkedHashMap<>();
    long[] t = r.openTime();
    w.put("from", t.length == 0 ? null : java.time.Instant.ofEpochMilli(t[0]).toString());
    w.put("to", t.length == 0 ? null : java.time.Instant.ofEpochMilli(t[t.length - 1]).toString());
    w.put("bars", t.length);
    w.put("metrics", StrategyInputs.metrics(r.metrics()));
    return w;
  }

  /** The days --from and --to choose, in words (one of them at least is given). */
  private String daysChosen() {
    return from == null ? "up to --to " + to : to == null ? "on or after --from " + from : "between --from " + from + " and --to " + to;
  }

  /** The run's costs and sizing, one line of every report; the position limit only for a portfolio (one symbol holds one at most). */
  private String costsLine() {
    return "fee " + StrategyInputs.percent(fee) + ", slippage " + StrategyInputs.percent(slippage) + ", capital "
        + StrategyInputs.money(capital) + ", risk " + StrategyInputs.percent(risk) + " per trade"
        + (symbolCount > 1 ? ", at most " + maxPositions + " positions" : "") + ", entries at a confidence of at least "
        + StrategyInputs.trim(minConfidence.value);
  }

  private Map<String, Object> costs() {
    Map<String, Object> costs = new LinkedHashMap<>();
    costs.put("fee", fee);
    costs.put("slippage", slippage);
    costs.put("capital", capital);
    costs.put("risk", risk);
    costs.put("maxPositions", maxPositions);
    costs.put("minConfidence", minConfidence.value);
    return costs;
  }

  private void printJsonObject(Map<String, Object> j) throws CliException {
    j.put("rowsLeftOut", candles.rowsLeftOut); // what stderr says of the rows that were not valid bars
    try {
      out().println(NodeClient.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
    } catch (JsonProcessingException e) {
      throw new CliException(1, "cannot write the report: " + e.getMessage());
    }
  }

  private void printTables(BacktestResult r, Template template, double[] p, List<BarArrays> bars, Path chartFile) {
    Map<String, String> f = figures(r, template, p);
    out().println("backtest " + f.remove("template") + " on " + f.remove("symbols") + " " + intervals(bars)
        + (bars.size() > 1 ? " (portfolio of " + bars.size() + ")" : ""));
    out().println();
    List<Object> pairs = new ArrayList<>();
    f.forEach((k, v) -> {
      pairs.add(k);
      pairs.add(v);
    });
    Table.keyValues(out(), pairs.toArray());
    out().println();
    List<Trade> trades = r.trades();
    if (trades.isEmpty()) {
      out().println("no closed trades");
    } else {
      Map<ExitKind, Integer> byKind = byKind(trades);
      Trade best = trades.get(0), worst = trades.get(0);
      double wins = 0, losses = 0;
      int nWins = 0, nLosses = 0;
      for (Trade t : trades) {
        if (t.pnl() > best.pnl()) best = t;
        if (t.pnl() < worst.pnl()) worst = t;
        if (t.pnl() > 0) {
          wins += t.pnl();
          nWins++;
        } else {
          losses += t.pnl();
          nLosses++;
        }
      }
      StringBuilder kinds = new StringBuilder();
      byKind.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
      Table.keyValues(out(),
          "trades by exit", kinds,
          "best trade", StrategyInputs.money(best.pnl()) + " (" + best.symbol() + ", " + StrategyInputs.minute(best.entryTime()) + ")",
          "worst trade", StrategyInputs.money(worst.pnl()) + " (" + worst.symbol() + ", " + StrategyInputs.minute(worst.entryTime()) + ")",
          "average win", nWins == 0 ? "-" : StrategyInputs.money(wins / nWins) + " over " + nWins,
          "average loss", nLosses == 0 ? "-" : StrategyInputs.money(losses / nLosses) + " over " + nLosses);
      out().println();
      int shown = Math.min(10, trades.size());
      out().println("last " + shown + " of " + trades.size() + " trades:");
      Table t = new Table("SYMBOL", "ENTRY TIME", "ENTRY", "STOP", "TARGET", "EXIT TIME", "EXIT", "QUANTITY", "FEES", "PNL", "EXIT BY");
      for (Trade x : trades.subList(trades.size() - shown, trades.size())) {
        t.row(x.symbol(), StrategyInputs.minute(x.entryTime()), StrategyInputs.price(x.entryPrice()), level(x.stop()),
            level(x.takeProfit()), StrategyInputs.minute(x.exitTime()), StrategyInputs.price(x.exitPrice()),
            StrategyInputs.quantity(x.quantity()), StrategyInputs.money(x.fees()), StrategyInputs.money(x.pnl()), x.exitKind());
      }
      t.print(out());
    }
    if (chartFile != null) {
      out().println();
      out().println("chart: " + chartFile.toAbsolutePath().normalize());
    }
  }

  /** A portfolio's symbols in a heading (a result names them comma-separated), as {@link StrategyInputs#few}. */
  private static String symbolsShown(String commaSeparated) {
    return Names.few(List.of(commaSeparated.split(",")), ",");
  }

  private static String intervals(List<BarArrays> bars) {
    return String.join(",", bars.stream().map(b -> b.interval).distinct().toList());
  }

  private static Map<ExitKind, Integer> byKind(List<Trade> trades) {
    Map<ExitKind, Integer> m = new EnumMap<>(ExitKind.class);
    for (ExitKind k : ExitKind.values()) m.put(k, 0);
    for (Trade t : trades) m.merge(t.exitKind(), 1, Integer::sum);
    return m;
  }

  private void printJson(BacktestResult r, Template template, double[] p, List<BarArrays> bars, Path chartFile) throws CliException {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("template", StrategyInputs.kebab(template));
    j.put("params", StrategyInputs.named(template, p));
    j.put("symbols", bars.stream().map(b -> b.symbol).toList());
    j.put("interval", intervals(bars));
    j.put("costs", costs());
    long[] t = r.openTime();
    j.put("bars", t.length);
    j.put("from", t.length == 0 ? null : java.time.Instant.ofEpochMilli(t[0]).toString());
    j.put("to", t.length == 0 ? null : java.time.Instant.ofEpochMilli(t[t.length - 1]).toString());
    j.put("metrics", StrategyInputs.metrics(r.metrics()));
    j.put("feesPaid", feesPaid(r));
    j.put("slippageCost", slippageCost(r));
    j.put("openAtEnd", r.openAtEnd());
    double u = unrealizedPnl(r);
    j.put("unrealizedPnl", Double.isNaN(u) ? null : u);
    List<Map<String, Object>> open = new ArrayList<>();
    for (BacktestResult.OpenPosition o : r.openPositions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("symbol", o.symbol());
      m.put("entryTime", java.time.Instant.ofEpochMilli(o.entryTime()).toString());
      m.put("entryPrice", o.entryPrice());
      m.put("quantity", o.quantity());
      m.put("entryFee", o.entryFee());
      m.put("lastClose", o.lastClose());
      m.put("unrealizedPnl", o.unrealizedPnl());
      open.add(m);
    }
    j.put("openPositions", open);
    j.put("tradesByExit", byKind(r.trades()));
    List<Map<String, Object>> trades = new ArrayList<>();
    for (Trade x : r.trades()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("symbol", x.symbol());
      m.put("entryTime", java.time.Instant.ofEpochMilli(x.entryTime()).toString());
      m.put("entryPrice", x.entryPrice());
      m.put("exitTime", java.time.Instant.ofEpochMilli(x.exitTime()).toString());
      m.put("exitPrice", x.exitPrice());
      m.put("quantity", x.quantity());
      m.put("fees", x.fees());
      m.put("pnl", x.pnl());
      m.put("exitBy", x.exitKind());
      m.put("stop", x.stop()); // the levels placed at the entry, NaN for none
      m.put("takeProfit", x.takeProfit());
      trades.add(m);
    }
    j.put("trades", trades);
    List<Map<String, Object>> curve = new ArrayList<>(t.length);
    double[] equity = r.equity();
    for (int i = 0; i < t.length; i++) {
      Map<String, Object> point = new LinkedHashMap<>(2);
      point.put("time", java.time.Instant.ofEpochMilli(t[i]).toString());
      point.put("equity", equity[i]);
      curve.add(point);
    }
    j.put("equity", curve);
    j.put("chart", chartFile == null ? null : chartFile.toAbsolutePath().normalize().toString());
    printJsonObject(j);
  }
}
