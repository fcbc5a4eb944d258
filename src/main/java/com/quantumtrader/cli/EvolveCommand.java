package com.quantumtrader.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.quantumtrader.strategy.BacktestResult.Summary;
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
 * stderr; Ctrl-C stops it after the current generation and prints the best found so far.
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

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads to evaluate on (default: all cores). The same --seed repeats a run on any number of threads.")
  Integer threadCount;

  @Option(names = "--json", description = "Print a JSON report instead of tables (progress stays on stderr).")
  boolean json;

  /** The option, or the environment variable its value came from when it was not given. */
  private String source(String option, String variable) {
    return spec.commandLine().getParseResult().hasMatchedOption(option) ? option
        : variable + "=" + System.getenv(variable) + " (the default of " + option + ")";
  }

  @Override
  void run() throws CliException {
    Template template = StrategyInputs.template(spec, strategy);
    List<BarArrays> loaded = candles.load(spec);
    if (loaded.size() > 1) {
      throw new ParameterException(spec.commandLine(), "--data holds " + loaded.stream().map(b -> b.symbol).toList()
          + ": choose one with --symbol");
    }
    BarArrays bars = loaded.get(0);
    long s = seed != null ? seed : System.currentTimeMillis();
    Generator.Settings settings;
    WalkForward.Window window;
    try {
      Generator.Settings d = Generator.defaults(population, generations, s);
      settings = new Generator.Settings(d.population(), d.generations(), d.keep(), trainFraction, d.minTrades(),
          d.drawdownPenalty(), d.minTestFitness(), d.minTStat(), d.seed(), d.backtest());
      settings.evolver();
      window = WalkForward.split(bars, trainFraction);
    } catch (IllegalArgumentException e) {
      // name the flag, and the variable its default came from when it was not given
      String m = e.getMessage();
      if (m.startsWith("population ")) m = source("--population", "QT_SG_POPULATION_SIZE") + ": " + m;
      else if (m.startsWith("generations ")) m = source("--generations", "QT_SG_GENERATIONS") + ": " + m;
      throw new ParameterException(spec.commandLine(), m);
    }
    int threads = threadCount != null ? threadCount : Runtime.getRuntime().availableProcessors();
    if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be >= 1");
    int trainBars = window.train().size();
    err().printf(Locale.ROOT, "evolving %s on %s %s: %,d bars, training %s .. %s (%,d), out of sample to %s (%,d); "
            + "population %d x %d generations, seed %d, %d threads%n",
        StrategyInputs.kebab(template), bars.symbol, bars.interval, bars.size(), StrategyInputs.minute(bars.openTime(0)),
        StrategyInputs.minute(window.train().openTime(trainBars - 1)), trainBars,
        StrategyInputs.minute(bars.openTime(bars.size() - 1)), window.test().size(), population, generations, s, threads);
    err().flush();

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
      ProgressLine progress = new ProgressLine(err());
      long[] generationsDone = {0};
      Evolver.Result r = Generator.run(template, bars, settings, pool == null ? Runnable::run : pool, p -> {
        generationsDone[0] = p.generation();
        progress.show(p.generation(), p.generations(), p.bestFitness(), p.medianFitness(), p.evaluationsPerSecond(),
            p.evaluationsPerSecond() * trainBars);
      }, cancelled::get);
      progress.end();
      List<Summary[]> figures = Generator.figures(r, bars, settings);
      // train evaluations, then each candidate's out-of-sample run over the warm-up and test bars
      double barSteps = (double) r.evaluations() * trainBars + (double) r.candidates().size() * bars.size();
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

  /** A rate with an SI suffix: 1.23 M, 456.7 k. */
  static String rate(double perSecond) {
    if (perSecond >= 1e9) return String.format(Locale.ROOT, "%.2f G", perSecond / 1e9);
    if (perSecond >= 1e6) return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    if (perSecond >= 1e3) return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  private void printTables(Evolver.Result r, long generationsRun, List<Summary[]> figures, double barSteps) {
    if (r.cancelled()) out().println("cancelled after generation " + generationsRun + " of " + generations + ": the best so far");
    if (r.candidates().isEmpty()) {
      out().println("no candidates (no generation completed, or every parameter set was invalid)");
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
      out().println(r.kept().size() + " of " + r.candidates().size() + " kept: out of sample, a fitness of at least "
          + StrategyInputs.trim(d.minTestFitness()) + ", at least " + d.minTrades() + " trades and a Sharpe t-statistic of at least "
          + StrategyInputs.trim(d.minTStat()));
      for (Evolver.Candidate c : r.candidates()) if (!c.kept()) out().println("  " + c.spec().id() + " rejected: " + c.verdict());
    }
    out().printf(Locale.ROOT, "%,d evaluations in %d generations, %.2f s: %,.0f evaluations/s, %s bar-steps/s%n",
        r.evaluations(), generationsRun, r.seconds(), r.seconds() > 0 ? r.evaluations() / r.seconds() : 0,
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
    try {
      out().println(NodeClient.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
    } catch (JsonProcessingException e) {
      throw new CliException(1, "cannot write the report: " + e.getMessage());
    }
  }
}
