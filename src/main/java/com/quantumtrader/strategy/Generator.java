package com.quantumtrader.strategy;

import com.quantumtrader.strategy.BacktestResult.Summary;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The Strategy Generator (SG AI): evolves a template's parameters ({@link Evolver}, Jenetics) with
 * the backtester as the judge. The history is split by time into a training window and an
 * out-of-sample window; fitness is computed on each (the out-of-sample run warms its indicators up
 * on the training bars but trades only after them). Pure; one {@link Backtester} per thread.
 *
 * <p>Fitness (risk-adjusted, higher is better): Sharpe − {@code drawdownPenalty} × max drawdown,
 * scaled down by the share of the trades needed reached and minus a penalty that grows as the trade
 * count falls below it (a parameter set that hardly trades says nothing): {@code minTrades} out of
 * sample, and on the training window as many more as it is longer ({@link #trainingMinTrades}). A run with no trade at all scores {@link #NO_TRADES}.
 *
 * <p>Out of sample a candidate must also be significant: its Sharpe ratio's t-statistic (annualized
 * Sharpe × √years of test data) must reach {@code minTStat} and it must trade at least {@code
 * minTrades} times; otherwise it is not kept, whatever its out-of-sample fitness (each candidate's
 * verdict says which conditions it failed). An
 * annualized Sharpe of 1 over half a year of hourly bars is noise (t ≈ 0.7), and the search tries
 * thousands of parameter sets: without this, noise passes.
 */
public final class Generator {
  private Generator() {}

  public static final double NO_TRADES = -10;

  /**
   * @param trainFraction share of the bars (oldest first) used for training
   * @param minTrades trades a window needs before its fitness is taken at face value
   * @param drawdownPenalty Sharpe points per unit of max drawdown
   * @param minTestFitness out-of-sample fitness a candidate must reach to be kept (e.g. 0.5)
   */
  public record Settings(int population, int generations, int keep, double trainFraction, int minTrades,
      double drawdownPenalty, double minTestFitness, double minTStat, long seed, Backtester.Config backtest) {
    public Evolver.Settings evolver() {
      return new Evolver.Settings(population, generations, keep, minTestFitness, seed);
    }
  }

  /** The fitness of one out-of-sample backtest's figures: {@code minTrades} needed. */
  public static double fitness(Summary m, Settings s) {
    return fitness(m, s, s.minTrades());
  }

  /** The fitness of one backtest's figures, {@code minTrades} trades needed before they are taken at face value. */
  static double fitness(Summary m, Settings s, int minTrades) {
    if (m.tradeCount() == 0) return NO_TRADES;
    double sharpe = Double.isFinite(m.sharpe()) ? m.sharpe() : 0;
    double f = sharpe - s.drawdownPenalty() * m.maxDrawdown();
    if (m.tradeCount() < minTrades) {
      // Few trades: the figures are scaled down by the share of the trades needed (an annualized
      // Sharpe of a run that traded 3 times says little) and a penalty is taken on top.
      double share = (double) m.tradeCount() / minTrades;
      f = (f > 0 ? f * share : f) - 2.0 * (1 - share);
    }
    return f;
  }

  /**
   * The trades the training window needs: {@code minTrades} scaled by the windows' lengths, so that a
   * candidate trading as often out of sample reaches the {@code minTrades} the keep rule asks there.
   * (With the same 20 on both windows of a 70/30 split, the search favoured sets of 40-57 training
   * trades, which then made 15-24 out of sample and failed the keep rule on their count.)
   */
  static int trainingMinTrades(Settings s, int trainBars, int testBars) {
    if (testBars <= 0) return s.minTrades();
    return (int) Math.max(s.minTrades(), Math.ceil((double) s.minTrades() * trainBars / testBars));
  }

  /**
   * Out-of-sample fitness as {@link #fitness}, and the conditions it fails besides the fitness
   * threshold: at least {@code minTrades} trades, a Sharpe t-statistic of at least {@code minTStat}.
   */
  static Evolver.OutOfSample outOfSample(Summary m, double years, Settings s) {
    double t = Double.isFinite(m.sharpe()) ? m.sharpe() * Math.sqrt(Math.max(0, years)) : 0;
    List<String> failed = new java.util.ArrayList<>();
    if (m.tradeCount() < s.minTrades()) failed.add(m.tradeCount() + " trades < " + s.minTrades());
    if (t < s.minTStat()) failed.add(String.format(java.util.Locale.ROOT, "Sharpe t-statistic %.2f < %s", t, com.quantumtrader.common.Numbers.typed(s.minTStat())));
    return new Evolver.OutOfSample(fitness(m, s), failed.isEmpty() ? null : String.join("; ", failed));
  }

  /** Evolves {@code template} on {@code bars} and reports both windows' fitness for each candidate. */
  public static Evolver.Result run(Template template, BarArrays bars, Settings s, Executor executor,
      Consumer<Evolver.Progress> progress, BooleanSupplier cancelled) {
    return run(template, bars, s, executor, progress, cancelled, Evolver.Checkpointing.NONE);
  }

  /** {@link #run(Template, BarArrays, Settings, Executor, Consumer, BooleanSupplier)} with checkpoints (to take, or to go on from). */
  public static Evolver.Result run(Template template, BarArrays bars, Settings s, Executor executor,
      Consumer<Evolver.Progress> progress, BooleanSupplier cancelled, Evolver.Checkpointing checkpoints) {
    return run(template, WalkForward.split(bars, s.trainFraction()), bars.barsPerYear(), s, executor, progress, cancelled, checkpoints);
  }

  /**
   * Evolves {@code template} on one window's training bars and judges each candidate on its test bars
   * (warmed up on the training bars), {@code barsPerYear} giving the test window's length in years
   * (a walk-forward window: the symbol's whole history's rate, as for a single split).
   */
  public static Evolver.Result run(Template template, WalkForward.Window w, double barsPerYear, Settings s, Executor executor,
      Consumer<Evolver.Progress> progress, BooleanSupplier cancelled) {
    return run(template, w, barsPerYear, s, executor, progress, cancelled, Evolver.Checkpointing.NONE);
  }

  private static Evolver.Result run(Template template, WalkForward.Window w, double barsPerYear, Settings s, Executor executor,
      Consumer<Evolver.Progress> progress, BooleanSupplier cancelled, Evolver.Checkpointing checkpoints) {
    requireEnoughBars(template, w);
    ThreadLocal<Backtester> backtester = ThreadLocal.withInitial(() -> new Backtester(s.backtest()));
    int trainBars = w.train().size();
    int trainMinTrades = trainingMinTrades(s, trainBars, w.test().size());
    int[] dayEnds = Backtester.dayEnds(w.train());
    return Evolver.evolve(template, "sg-" + template.name().toLowerCase(java.util.Locale.ROOT),
        p -> fitness(backtester.get().metrics(new StrategySpec("candidate", template, p), w.train()), s, trainMinTrades),
        p -> outOfSample(backtester.get().metrics(new StrategySpec("candidate", template, p), w.warmUpAndTest(), trainBars),
            w.test().size() / barsPerYear, s),
        p -> backtester.get().dailyPnl(new StrategySpec("candidate", template, p), w.train(), dayEnds),
        s.evolver(), executor, progress, cancelled, checkpoints);
  }

  /**
   * Refuses a window too short to say anything: the training window must let the template's default
   * parameters trade (their warm-up, the bar a signal comes on and the one it fills on), and the
   * out-of-sample window must hold a signal's bar and its fill's. (Sets with longer periods may still
   * find too few bars; they score as not trading.)
   */
  public static void requireEnoughBars(Template template, WalkForward.Window w) {
    double[] d = template.defaults();
    int needed = template.newEngine(d).warmUpBars() + 2;
    int train = w.train().size(), test = w.test().size();
    if (train >= needed && test >= 2) return;
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      if (i > 0) params.append(' ');
      params.append(template.params().get(i).name()).append('=').append(com.quantumtrader.common.Numbers.typed(d[i]));
    }
    throw new IllegalArgumentException("too few candles to evolve: the training window has " + train + " bars and the out-of-sample"
        + " window " + test + "; " + template.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " with its default parameters ("
        + params + ") warms up on " + (needed - 2) + " bars and fills a signal on the bar after it, so training needs at least "
        + needed + " bars and the out-of-sample window at least 2");
  }

  /** Defaults for a command-line run. */
  public static Settings defaults(int population, int generations, long seed) {
    return new Settings(population, generations, 5, 0.7, 20, 2.0, 0.5, 2.0, seed, Backtester.Config.defaults());
  }

  /** Defaults, entries taken at this minimum confidence (a node's: its NORMAL preset's). */
  public static Settings defaults(int population, int generations, long seed, double minConfidence) {
    Settings d = defaults(population, generations, seed);
    return new Settings(d.population(), d.generations(), d.keep(), d.trainFraction(), d.minTrades(), d.drawdownPenalty(),
        d.minTestFitness(), d.minTStat(), d.seed(), d.backtest().withMinConfidence(minConfidence));
  }

  /** Every kept candidate's train and test figures, for a report. */
  public static List<Summary[]> figures(Evolver.Result r, BarArrays bars, Settings s) {
    return figures(r, WalkForward.split(bars, s.trainFraction()), s);
  }

  /** Every candidate's figures on one window's training and (warmed up) test bars. */
  public static List<Summary[]> figures(Evolver.Result r, WalkForward.Window w, Settings s) {
    Backtester b = new Backtester(s.backtest());
    return r.candidates().stream().map(c -> new Summary[] {
        b.metrics(c.spec(), w.train()), b.metrics(c.spec(), w.warmUpAndTest(), w.train().size())}).toList();
  }
}
