package com.quantumtrader.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.quantumtrader.common.Numbers;
import com.quantumtrader.strategy.BacktestResult.Summary;
import com.quantumtrader.strategy.Backtester;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.Evolver;
import com.quantumtrader.strategy.Generator;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.strategy.WalkForward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Runs the Strategy Generator locally on one symbol's candles, on all cores, with a progress line on
 * stderr; Ctrl-C stops it at once (the generation under way counts with what it evaluated) and prints the best found so far.
 */
@Command(name = "evolve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evolve a template's parameters on candle files (no node needed), on all cores; "
        + "prints the best candidates with in- and out-of-sample figures. Ctrl-C stops and prints the best so far.")
public final class EvolveCommand extends CliCommand {
  @Option(names = "--strategy", required = true, paramLabel = "TEMPLATE",
      description = "trend-ema-cross, donchian-breakout or mean-reversion.")
  String strategy;

  @Mixin
  CandleData candles;

  @Mixin
  MinConfidence minConfidence;

  @Option(names = "--population", paramLabel = "N", defaultValue = "${env:QT_SG_POPULATION_SIZE:-200}",
      description = "Individuals per generation (default QT_SG_POPULATION_SIZE or 200; now ${DEFAULT-VALUE}).")
  int population;

  @Option(names = "--generations", paramLabel = "N", defaultValue = "${env:QT_SG_GENERATIONS:-50}",
      description = "Generations (default QT_SG_GENERATIONS or 50; now ${DEFAULT-VALUE}).")
  int generations;

  @Option(names = "--train-fraction", paramLabel = "F", defaultValue = "0.7",
      description = "Share of the bars, oldest first, to train on; the rest is the out-of-sample window (default ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: from the clock; printed).")
  Long seed;

  /** More threads than this only adds switching (the search is CPU-bound): a typo. */
  static final int MAX_THREADS = 1024;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads to evaluate on (default: all cores). The same --seed repeats a run on any number of threads.")
  Integer threadCount;

  @Option(names = "--json", description = "Print a JSON report instead of tables (progress stays on stderr).")
  boolean json;

  @Option(names = "--walk-forward", paramLabel = "TRAIN:TEST",
      description = "Walk-forward optimization, windows in days (e.g. 365:90): evolve on each training window, take its best"
          + " training candidate to the test window after it; the windows move on by TEST days. Replaces --train-fraction.")
  String walkForward;

  /** The option, or the environment variable its value came from when it was not given. */
  private String source(String option, String variable) {
    return spec.commandLine().getParseResult().hasMatchedOption(option) ? option
        : variable + "=" + System.getenv(variable) + " (the default of " + option + ")";
  }

  @Override
  void run() throws CliException {
    Template template = StrategyInputs.template(spec, strategy);
    List<BarArrays> loaded = candles.load(spec, true);
    BarArrays bars = loaded.get(0);
    long[] wf = walkForward == null ? null : WalkForwardReport.days(spec, walkForward);
    if (wf != null && spec.commandLine().getParseResult().hasMatchedOption("--train-fraction")) {
      throw new ParameterException(spec.commandLine(), "--walk-forward sets each window's split; leave out --train-fraction");
    }
    long s = seed != null ? seed : System.currentTimeMillis();
    Generator.Settings settings;
    WalkForward.Window window;
    try {
      Generator.Settings d = Generator.defaults(population, generations, s);
      settings = new Generator.Settings(d.population(), d.generations(), d.keep(), trainFraction, d.minTrades(),
          d.drawdownPenalty(), d.minTestFitness(), d.minTStat(), d.seed(), minConfidence.apply(spec, d.backtest()));
      settings.evolver();
    } catch (IllegalArgumentException e) {
      // name the flag, and the variable its default came from when it was not given
      String m = e.getMessage();
      if (m.startsWith("population ")) m = source("--population", "QT_SG_POPULATION_SIZE") + ": " + m;
      else if (m.startsWith("generations ")) m = source("--generations", "QT_SG_GENERATIONS") + ": " + m;
      throw new ParameterException(spec.commandLine(), m);
    }
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new ParameterException(spec.commandLine(), "--train-fraction must be a fraction in (0, 1), e.g. 0.7, got " + Numbers.typed(trainFraction));
    }
    try { // the candles: too few to split, or to trade on either side of the split
      window = wf == null ? WalkForward.split(bars, trainFraction) : null;
      if (window != null) Generator.requireEnoughBars(template, window);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.DATA, e.getMessage());
    }
    int threads = threadCount != null ? threadCount : Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > MAX_THREADS) {
      throw new ParameterException(spec.commandLine(), "--threads must be from 1 to " + MAX_THREADS + " (this machine has "
          + Runtime.getRuntime().availableProcessors() + " cores), got " + threads);
    }
    WalkForwardReport.Tiling<WalkForward.Window> windows = null;
    if (wf != null) {
      windows = WalkForwardReport.windows(spec, bars, wf);
      // a window with too few bars to evolve on (a gap, a test period of weekend days) is left out, named
      List<WalkForward.Window> usable = new ArrayList<>();
      List<String> shortOnes = new ArrayList<>();
      String firstReason = null;
      for (WalkForward.Window w : windows.windows()) {
        try {
          Generator.requireEnoughBars(template, w);
          usable.add(w);
        } catch (IllegalArgumentException e) {
          shortOnes.add("#" + (w.index() + 1));
          if (firstReason == null) {
            firstReason = "window #" + (w.index() + 1) + " (training " + WalkForwardReport.days(w.train()) + ", testing "
                + WalkForwardReport.days(w.test()) + "): " + e.getMessage();
          }
        }
      }
      if (usable.isEmpty()) throw new CliException(CliException.DATA, "no window to evolve on; " + firstReason);
      if (!shortOnes.isEmpty()) {
        err().println("quantum-trader: left out, " + shortOnes.size() + " window" + (shortOnes.size() == 1 ? "" : "s")
            + " with too few candles (" + (shortOnes.size() <= 10 ? String.join(", ", shortOnes)
                : String.join(", ", shortOnes.subList(0, 10)) + ", ...") + "); the first: " + firstReason);
      }
      windows = new WalkForwardReport.Tiling<>(List.copyOf(usable), windows.slots());
      err().printf(Locale.ROOT, "walk-forward evolving %s on %s %s: %d windows of %d days to train and %d to test; "
              + "population %d x %d generations, seed %d, %d threads%n",
          StrategyInputs.kebab(template), bars.symbol, bars.interval, windows.windows().size(), wf[0], wf[1], population, generations, s,
          threads);
      err().flush();
    }
    int trainBars = wf == null ? window.train().size() : 0;
    if (wf == null) {
    err().printf(Locale.ROOT, "evolving %s on %s %s: %,d bars, training %s .. %s (%,d), out of sample to %s (%,d); "
            + "population %d x %d generations, seed %d, %d threads%n",
        StrategyInputs.kebab(template), bars.symbol, bars.interval, bars.size(), StrategyInputs.minute(bars.openTime(0)),
        StrategyInputs.minute(window.train().openTime(trainBars - 1)), trainBars,
        StrategyInputs.minute(bars.openTime(bars.size() - 1)), window.test().size(), population, generations, s, threads);
      err().flush();
    }

    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      cancelled.set(true);
      try {
        reported.await(60, TimeUnit.SECONDS); // let the run finish its generation and print the best so far
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "evolve-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
    // The backtests run on the pool; selection and alteration stay on this (seeded) thread (Evolver)
    ExecutorService pool = threads == 1 ? null : new ForkJoinPool(threads);
    try {
      if (windows != null) {
        walkForward(template, bars, windows, settings, pool == null ? Runnable::run : pool, cancelled, wf, s);
        return;
      }
      ProgressLine progress = new ProgressLine(err());
      long[] generationsDone = {0};
      Evolver.Result r = Generator.run(template, bars, settings, pool == null ? Runnable::run : pool, p -> {
        generationsDone[0] = p.generation();
        progress.show(p, p.evaluationsPerSecond() * trainBars);
      }, cancelled::get);
      progress.end();
      List<Summary[]> figures = Generator.figures(r, bars, settings);
      // train evaluations and the runs comparing candidates, then each candidate's out-of-sample run
      // over the warm-up and test bars
      double barSteps = (double) (r.evaluations() + r.comparisonRuns()) * trainBars + (double) r.candidates().size() * bars.size();
      // Result.generations() is the generation of the best result; count the ones that ran
      if (json) printJson(r, generationsDone[0], figures, bars, window, s, barSteps);
      else printTables(r, generationsDone[0], figures, barSteps);
      out().flush();
    } finally {
      if (pool != null) pool.shutdownNow();
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and now returns
      }
    }
  }

  /**
   * One walk-forward window's pick: the best training candidate, its figures in both windows and the
   * run's counts; {@code testRun} its test window's run (trades and curve), whose figures {@link
   * #test} are.
   *
   * @param partial its search was cancelled before its last generation: the best so far
   */
  private record Pick(WalkForward.Window window, Evolver.Candidate candidate, Summary train,
      com.quantumtrader.strategy.BacktestResult testRun, long evaluations, double seconds, boolean partial) {
    Summary test() {
      return testRun.metrics();
    }
  }

  /**
   * Walk-forward optimization: on each window, evolve on the training bars and take the best training
   * candidate (the test window chooses nothing) to the test bars, warmed up on the training bars.
   * Ctrl-C stops at once (as in a plain run); the windows done so far are reported.
   */
  private void walkForward(Template template, BarArrays bars, WalkForwardReport.Tiling<WalkForward.Window> tiling, Generator.Settings settings,
      java.util.concurrent.Executor executor, AtomicBoolean cancelled, long[] wf, long s) throws CliException {
    List<WalkForward.Window> windows = tiling.windows();
    List<Pick> picks = new ArrayList<>();
    double barSteps = 0;
    WalkForward.Window stopped = null; // the window a cancellation stopped in
    com.quantumtrader.strategy.Backtester backtester = new com.quantumtrader.strategy.Backtester(settings.backtest());
    for (WalkForward.Window w : windows) {
      int trainBars = w.train().size();
      err().printf(Locale.ROOT, "window #%d (%d of %d): training %s (%,d bars), testing %s (%,d bars)%n", w.index() + 1, windows.indexOf(w) + 1, windows.size(),
          WalkForwardReport.days(w.train()), trainBars, WalkForwardReport.days(w.test()), w.test().size());
      err().flush();
      ProgressLine progress = new ProgressLine(err());
      Evolver.Result r = Generator.run(template, w, bars.barsPerYear(), settings, executor, p ->
          progress.show(p, p.evaluationsPerSecond() * trainBars), cancelled::get);
      progress.end();
      if (!r.candidates().isEmpty()) {
        // counted with the pick that reports them, so that the rate is of the work shown
        barSteps += (double) (r.evaluations() + r.comparisonRuns()) * trainBars + (double) r.candidates().size() * w.warmUpAndTest().size();
        Evolver.Candidate best = r.candidates().get(0);
        picks.add(new Pick(w, best, backtester.metrics(best.spec(), w.train()),
            backtester.run(best.spec(), w.warmUpAndTest(), trainBars), r.evaluations(), r.seconds(), r.cancelled()));
      }
      if (r.cancelled()) {
        stopped = w;
        break;
      }
    }
    long evaluations = picks.stream().mapToLong(Pick::evaluations).sum();
    double seconds = picks.stream().mapToDouble(Pick::seconds).sum();
    List<com.quantumtrader.strategy.BacktestResult> tests = picks.stream().map(Pick::testRun).toList();
    WalkForwardReport.Totals totals = WalkForwardReport.Totals.of(picks.stream().map(Pick::train).toList(), tests,
        WalkForwardReport.chainedTestCurve(tests, settings.backtest().initialEquity()));
    double capital = settings.backtest().initialEquity();
    // the bars after the last test window reported (of a cancelled run: after the last window done)
    long testedTo = picks.isEmpty() ? Long.MIN_VALUE
        : picks.get(picks.size() - 1).window().test().openTime(picks.get(picks.size() - 1).window().test().size() - 1);
    int untested = picks.isEmpty() ? 0 : bars.size() - bars.indexAtOrAfter(testedTo + 1);
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("template", StrategyInputs.kebab(template));
      j.put("symbol", bars.symbol);
      j.put("interval", bars.interval);
      j.put("trainDays", wf[0]);
      j.put("testDays", wf[1]);
      j.put("population", population);
      j.put("generations", generations);
      j.put("seed", s);
      j.put("cancelled", stopped != null);
      List<Map<String, Object>> ws = new ArrayList<>();
      for (Pick p : picks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", p.window().index());
        m.put("number", p.window().index() + 1); // as the text report's rows
        m.put("trainFrom", java.time.Instant.ofEpochMilli(p.window().train().openTime(0)).toString());
        m.put("trainTo", java.time.Instant.ofEpochMilli(p.window().train().openTime(p.window().train().size() - 1)).toString());
        m.put("testFrom", java.time.Instant.ofEpochMilli(p.window().test().openTime(0)).toString());
        m.put("testTo", java.time.Instant.ofEpochMilli(p.window().test().openTime(p.window().test().size() - 1)).toString());
        m.put("params", StrategyInputs.named(template, p.candidate().spec().params()));
        m.put("trainFitness", p.candidate().trainFitness());
        m.put("testFitness", p.candidate().testFitness());
        m.put("verdict", p.candidate().verdict());
        m.put("partial", p.partial());
        m.put("train", StrategyInputs.metrics(p.train()));
        m.put("test", StrategyInputs.metrics(p.test()));
        ws.add(m);
      }
      totals.putJson(j, ws, tiling);
      j.put("untestedBars", untested);
      j.put("evaluations", evaluations);
      j.put("seconds", seconds);
      j.put("barStepsPerSecond", seconds > 0 ? barSteps / seconds : 0);
      try {
        j.put("rowsLeftOut", candles.rowsLeftOut); // what stderr says of the rows that were not valid bars
        out().println(NodeClient.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
      } catch (JsonProcessingException e) {
        throw new CliException(1, "cannot write the report: " + e.getMessage());
      }
      out().flush();
      return;
    }
    if (stopped != null) {
      out().println("cancelled in window #" + (stopped.index() + 1) + " (" + (windows.indexOf(stopped) + 1) + " of " + windows.size()
          + "): the windows so far" + (!picks.isEmpty() && picks.get(picks.size() - 1).partial()
              ? ", the last with its best so far (marked *)" : ""));
    }
    Table t = new Table("#", "TRAIN", "TEST", "FITNESS IN", "SHARPE IN", "TRADES", "RETURN", "SHARPE", "MAX DD", "OUT-OF-SAMPLE RULES",
        "PARAMS");
    for (Pick p : picks) {
      t.row((p.window().index() + 1) + (p.partial() ? "*" : ""), WalkForwardReport.days(p.window().train()),
          WalkForwardReport.days(p.window().test()), StrategyInputs.fixed(p.candidate().trainFitness(), 3),
          StrategyInputs.fixed(p.train().sharpe(), 2), Integer.toString(p.test().tradeCount()),
          StrategyInputs.percent(p.test().totalReturn()), StrategyInputs.fixed(p.test().sharpe(), 2),
          StrategyInputs.percent(p.test().maxDrawdown()), p.candidate().kept() ? "passed" : "failed",
          StrategyInputs.describe(template, p.candidate().spec().params()));
    }
    t.print(out());
    // what a failed pick failed, as plain evolve lists its rejected candidates
    for (Pick p : picks) {
      if (!p.candidate().kept()) out().println("  #" + (p.window().index() + 1) + " failed: " + p.candidate().verdict());
    }
    out().println();
    List<Object> lines = new ArrayList<>(List.of(totals.keyValues(capital)));
    lines.add("parameters");
    lines.add(spread(template, picks));
    lines.add("skipped windows");
    lines.add(tiling.skipped("no bars, or too few to evolve on, in their training or test days"));
    lines.add("not tested");
    lines.add(untested == 0 ? "none" : "the last " + String.format(Locale.ROOT, "%,d", untested) + " bars (after "
        + StrategyInputs.minute(testedTo) + "), in no test window" + (stopped != null ? " (the run was cancelled)" : ""));
    Table.keyValues(out(), lines.toArray());
    out().println("each window's pick is its best training candidate; the test window chooses nothing (the"
        + " out-of-sample rules' verdict is shown, not applied)");
    out().printf(Locale.ROOT, "%,d evaluations in %s, %.2f s: %s bar-steps/s%n", evaluations, StrategyInputs.count(picks.size(), "window"), seconds,
        rate(seconds > 0 ? barSteps / seconds : 0));
    out().flush();
  }

  /** Each parameter's range over the windows' picks: {@code fast 8..15, slow 26..40}, how far the fit moved. */
  private static String spread(Template template, List<Pick> picks) {
    List<String> each = new ArrayList<>();
    List<Template.Param> params = template.params();
    for (int i = 0; i < params.size(); i++) {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (Pick p : picks) {
        lo = Math.min(lo, p.candidate().spec().params()[i]);
        hi = Math.max(hi, p.candidate().spec().params()[i]);
      }
      if (picks.isEmpty()) continue;
      each.add(params.get(i).name() + " " + StrategyInputs.trim(lo) + (hi > lo ? ".." + StrategyInputs.trim(hi) : ""));
    }
    return each.isEmpty() ? "-" : String.join(", ", each) + " (range over the windows' picks)";
  }

  /** A rate with an SI suffix: 1.23 M, 456.7 k. */
  static String rate(double perSecond) {
    if (perSecond >= 1e9) return String.format(Locale.ROOT, "%.2f G", perSecond / 1e9);
    if (perSecond >= 1e6) return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    if (perSecond >= 1e3) return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  /** Generations ran and no parameter set the template takes came up (`evolve`, `sg show`). */
  static final String NO_VALID_CANDIDATE = "no candidates: every parameter set the search tried was invalid for the template"
      + " (e.g. fast >= slow); a larger population or more generations try more";

  private void printTables(Evolver.Result r, long generationsRun, List<Summary[]> figures, double barSteps) {
    boolean nothingEvaluated = r.cancelled() && generationsRun == 0;
    if (nothingEvaluated) out().println("cancelled before any parameter set was evaluated: no candidates");
    // the generation under way when the cancellation came counts with what it had evaluated (Evolver)
    else if (r.cancelled()) {
      out().println("cancelled in generation " + generationsRun + " of " + generations + " (it counts with the parameter sets it had"
          + " evaluated): the best so far");
    }
    if (r.candidates().isEmpty()) {
      if (!nothingEvaluated) out().println(generationsRun > 0 ? NO_VALID_CANDIDATE : "no candidates (no generation completed)");
    } else {
      Table t = new Table("ID", "VERDICT", "FITNESS IN", "FITNESS OUT", "SHARPE IN", "SHARPE OUT", "RETURN IN", "RETURN OUT",
          "MAX DD IN", "MAX DD OUT", "TRADES IN", "TRADES OUT", "PARAMS");
      for (int i = 0; i < r.candidates().size(); i++) {
        Evolver.Candidate c = r.candidates().get(i);
        Summary in = figures.get(i)[0], out = figures.get(i)[1];
        t.row(c.spec().id(), c.kept() ? "kept" : "rejected", StrategyInputs.fixed(c.trainFitness(), 3),
            StrategyInputs.fixed(c.testFitness(), 3), StrategyInputs.fixed(in.sharpe(), 2), StrategyInputs.fixed(out.sharpe(), 2),
            StrategyInputs.percent(in.totalReturn()), StrategyInputs.percent(out.totalReturn()),
            StrategyInputs.percent(in.maxDrawdown()), StrategyInputs.percent(out.maxDrawdown()), in.tradeCount(), out.tradeCount(),
            StrategyInputs.describe(r.template(), c.spec().params()));
      }
      t.print(out());
      Generator.Settings d = Generator.defaults(2, 1, 0);
      out().println(r.kept().size() + " of " + r.candidates().size() + " kept: a fitness of at least " + StrategyInputs.trim(d.minTestFitness())
          + " in sample and, out of sample, a fitness of at least "
          + StrategyInputs.trim(d.minTestFitness()) + ", at least " + d.minTrades() + " trades and a Sharpe t-statistic of at least "
          + StrategyInputs.trim(d.minTStat()));
      for (Evolver.Candidate c : r.candidates()) if (!c.kept()) out().println("  " + c.spec().id() + " rejected: " + c.verdict());
      // the table rounds the parameters; these are the doubles the figures are of, for a backtest that repeats them
      Evolver.Candidate best = r.candidates().get(0);
      double min = minConfidence.value;
      out().println("backtest " + best.spec().id() + " with: --strategy " + StrategyInputs.kebab(r.template()) + " --params "
          + StrategyInputs.paramsOption(r.template(), best.spec().params())
          + (min == Backtester.Config.NORMAL_MIN_CONFIDENCE ? "" : " --min-confidence " + Numbers.typed(min)));
    }
    out().printf(Locale.ROOT, "%,d evaluations in %s, %.2f s: %,.0f evaluations/s, %s bar-steps/s%n",
        r.evaluations(), StrategyInputs.count(generationsRun, "generation"), r.seconds(), r.seconds() > 0 ? r.evaluations() / r.seconds() : 0,
        rate(r.seconds() > 0 ? barSteps / r.seconds() : 0));
  }

  private void printJson(Evolver.Result r, long generationsRun, List<Summary[]> figures, BarArrays bars, WalkForward.Window w, long s,
      double barSteps) throws CliException {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("template", StrategyInputs.kebab(r.template()));
    j.put("symbol", bars.symbol);
    j.put("interval", bars.interval);
    j.put("bars", bars.size());
    j.put("trainBars", w.train().size());
    j.put("testBars", w.test().size());
    j.put("population", population);
    j.put("generations", generations);
    j.put("generationsRun", generationsRun);
    j.put("seed", s);
    j.put("cancelled", r.cancelled());
    j.put("evaluations", r.evaluations());
    j.put("comparisonRuns", r.comparisonRuns());
    j.put("seconds", r.seconds());
    j.put("evaluationsPerSecond", r.seconds() > 0 ? r.evaluations() / r.seconds() : 0);
    j.put("barSteps", (long) barSteps);
    j.put("barStepsPerSecond", r.seconds() > 0 ? barSteps / r.seconds() : 0);
    List<Map<String, Object>> cs = new ArrayList<>();
    for (int i = 0; i < r.candidates().size(); i++) {
      Evolver.Candidate c = r.candidates().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.spec().id());
      m.put("params", StrategyInputs.named(r.template(), c.spec().params()));
      m.put("kept", c.kept());
      m.put("verdict", c.verdict());
      m.put("trainFitness", c.trainFitness());
      m.put("testFitness", c.testFitness());
      m.put("train", StrategyInputs.metrics(figures.get(i)[0]));
      m.put("test", StrategyInputs.metrics(figures.get(i)[1]));
      cs.add(m);
    }
    j.put("candidates", cs);
    j.put("rowsLeftOut", candles.rowsLeftOut); // what stderr says of the rows that were not valid bars
    try {
      out().println(NodeClient.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
    } catch (JsonProcessingException e) {
      throw new CliException(1, "cannot write the report: " + e.getMessage());
    }
  }
}
