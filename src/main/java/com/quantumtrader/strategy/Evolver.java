package com.quantumtrader.strategy;

import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.MeanAlterer;
import io.jenetics.Mutator;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.Evaluator;
import io.jenetics.engine.Evaluators;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The Strategy Generator's search: Jenetics evolves one template's parameter vector (one gene per
 * {@link Template.Param}, in its range; whole-number parameters are rounded) to maximize a fitness
 * on the training window, on the given executor (all cores). Every candidate of the last
 * generation's best is then scored on the out-of-sample window; a candidate is kept only if its
 * fitness clears {@code minTestFitness} in both windows. Parameter vectors the template refuses
 * (e.g. fast ≥ slow) score {@link #INVALID}. Pure apart from the executor; no Akka.
 */
public final class Evolver {
  private Evolver() {}

  /** The fitness of a parameter vector the template refuses. */
  public static final double INVALID = -1e9;

  /**
   * @param population individuals per generation ({@code QT_SG_POPULATION_SIZE})
   * @param generations generations to run ({@code QT_SG_GENERATIONS})
   * @param keep how many of the best distinct training candidates go to the out-of-sample check
   * @param minTestFitness fitness a candidate must reach in both windows to be kept
   * @param seed the random seed (the same seed gives the same run, on any number of threads)
   */
  /** The largest population and number of generations a run takes (the node's settings, its API and the CLI). */
  public static final int MAX_POPULATION = 100_000, MAX_GENERATIONS = 100_000;

  public record Settings(int population, int generations, int keep, double minTestFitness, long seed) {
    public Settings {
      if (population < 2 || population > MAX_POPULATION) {
        throw new IllegalArgumentException("population must be in [2, " + MAX_POPULATION + "], was " + population);
      }
      if (generations < 1 || generations > MAX_GENERATIONS) {
        throw new IllegalArgumentException("generations must be in [1, " + MAX_GENERATIONS + "], was " + generations);
      }
      if (keep < 1) throw new IllegalArgumentException("keep must be >= 1");
    }
  }

  /**
   * A run's progress, reported after each generation ({@code underWay} 0): {@code bestFitness} the best
   * of the run so far (what the top candidate will have; the population may lose its best individual
   * to selection), {@code medianFitness} the median of this generation's population. While a
   * generation takes longer than a second (a large population), also once a second: {@code
   * generation} is then the last one done, {@code underWay} how many evaluations the next one has
   * made, {@code underWayOf} how many it makes at most (the first generation evaluates its random
   * population and then its offspring, {@link #OFFSPRING_FRACTION} of it; a later one its offspring,
   * fewer when some are unaltered copies), {@code medianFitness} the last generation's (NaN before
   * the first), {@code bestFitness} the best so far (NaN until the first generation is done).
   */
  public record Progress(long generation, int generations, double bestFitness, double medianFitness, long evaluations,
      double evaluationsPerSecond, long underWay, long underWayOf) {
    /** A whole generation's figures. */
    public Progress(long generation, int generations, double bestFitness, double medianFitness, long evaluations,
        double evaluationsPerSecond) {
      this(generation, generations, bestFitness, medianFitness, evaluations, evaluationsPerSecond, 0, 0);
    }
  }

  /** The share of each generation made by crossover and mutation (Jenetics' default, set explicitly); the rest survive. */
  static final double OFFSPRING_FRACTION = 0.6;

  /** The most evaluations generation {@code generation} (from 1) of {@code population} makes. */
  static long evaluationsAtMost(long generation, int population) {
    long offspring = (long) Math.rint(population * OFFSPRING_FRACTION);
    return generation == 1 ? population + offspring : offspring;
  }

  /**
   * A parameter vector with its in-sample and out-of-sample fitness, whether it was kept, and the
   * verdict: "kept", or every out-of-sample condition it failed (e.g. "fitness 0.21 < 0.5; 12 trades
   * < 20").
   */
  public record Candidate(StrategySpec spec, double trainFitness, double testFitness, boolean kept, String verdict) {}

  /**
   * A candidate's out-of-sample fitness and, when it fails a condition other than the fitness
   * threshold (too few trades, not significant), what it failed; null when it failed none.
   */
  public record OutOfSample(double fitness, String failed) {}

  /**
   * @param candidates the best distinct training candidates, best first, with their out-of-sample
   *     fitness; {@code kept} says which passed. Distinct: a vector with the fitness of a better one
   *     in both windows, to within {@link #COPY_TOLERANCE} (a copy that trades the same or nearly), is
   *     left out
   * @param cancelled whether the run was stopped before its last generation
   * @param comparisonRuns parameter sets whose daily P&L (a training-window backtest each, besides the
   *     {@code evaluations}) was compared; the same on any number of threads (a few worked out ahead
   *     and not needed are not counted)
   */
  public record Result(Template template, List<Candidate> candidates, long generations, long evaluations,
      double seconds, boolean cancelled, long comparisonRuns) {
    public List<Candidate> kept() {
      return candidates.stream().filter(Candidate::kept).toList();
    }
  }

  /**
   * Where a run stood after a generation: enough to go on from there exactly as the run would have
   * gone on (the same generations, candidates and evaluation count as a run not stopped, on any number
   * of threads), so that a run its node stopped during resumes from its last checkpoint instead of
   * its first generation.
   *
   * @param generation the generations done
   * @param evaluations the evaluations they took
   * @param randomDraws the values drawn from the run's seeded generator so far (a resumed run draws
   *     them again from the seed, and goes on from there)
   * @param bestSoFar the best fitness so far; {@code lastMedian} the last generation's median
   * @param genes each individual's genes (one per template parameter, as Jenetics holds them: not
   *     rounded), in population order; {@code fitness} and {@code born} (the generation it was made
   *     in) alike
   * @param seen the best parameter vectors so far, in the order they were first seen (the ranking's
   *     tie order), with {@code seenFitness}
   * @param seconds the run's time so far
   */
  public record Checkpoint(long generation, long evaluations, long randomDraws, double bestSoFar, double lastMedian,
      List<double[]> genes, double[] fitness, long[] born, List<double[]> seen, double[] seenFitness, double seconds) {}

  /**
   * Checkpoints for a run: start from {@code from} (null: from the first generation), and hand a
   * checkpoint to {@code save} after a generation when {@code everyNanos} have passed since the last
   * one (or since the start).
   */
  public record Checkpointing(Checkpoint from, long everyNanos, Consumer<Checkpoint> save) {
    /** None taken, none resumed from. */
    public static final Checkpointing NONE = new Checkpointing(null, Long.MAX_VALUE, c -> {});
  }

  /**
   * The run's seeded generator, counting the values drawn from it: a checkpoint records the count, and
   * a resumed run draws as many from the same seed before it goes on. Every value Jenetics asks for
   * (ints, doubles, bounded ones) is made from {@link #nextLong}, by {@link RandomGenerator}'s
   * methods, as the generator itself makes them.
   */
  static final class CountingRandom implements RandomGenerator {
    private final RandomGenerator g;
    private long draws;

    CountingRandom(long seed, long skip) {
      g = RandomGeneratorFactory.of("L64X256MixRandom").create(seed);
      for (long i = 0; i < skip; i++) g.nextLong();
      draws = skip;
    }

    @Override
    public long nextLong() {
      draws++;
      return g.nextLong();
    }

    long draws() {
      return draws;
    }
  }

  /** An out-of-sample judge with no condition besides the fitness threshold. */
  public static Function<double[], OutOfSample> fitnessOnly(ToDoubleFunction<double[]> test) {
    return v -> new OutOfSample(test.applyAsDouble(v), null);
  }

  public static Result evolve(Template template, String idPrefix, ToDoubleFunction<double[]> train,
      Function<double[], OutOfSample> test, Settings s, Executor executor, Consumer<Progress> progress, BooleanSupplier cancelled) {
    return evolve(template, idPrefix, train, test, null, s, executor, progress, cancelled);
  }

  /**
   * {@link #evolve(Template, String, ToDoubleFunction, Function, Settings, Executor, Consumer,
   * BooleanSupplier)}, and with {@code daily} (a vector's daily P&L on the training window, or null)
   * a vector whose daily P&L correlates with a better-ranked candidate's at {@link #SAME_STRATEGY} or
   * more is the same strategy and is left out before its out-of-sample test: neighbours in
   * parameter space (a stop a tenth of an ATR wider, a slow period a few bars longer) are one
   * strategy, not five.
   */
  public static Result evolve(Template template, String idPrefix, ToDoubleFunction<double[]> train,
      Function<double[], OutOfSample> test, Function<double[], double[]> daily, Settings s, Executor executor,
      Consumer<Progress> progress, BooleanSupplier cancelled) {
    return evolve(template, idPrefix, train, test, daily, s, executor, progress, cancelled, Checkpointing.NONE);
  }

  /**
   * {@link #evolve(Template, String, ToDoubleFunction, Function, Function, Settings, Executor, Consumer,
   * BooleanSupplier)} with checkpoints: started from {@code checkpoints.from()} if it has one (of a run
   * of the same template, settings and data: the result is then that of the run not stopped), and
   * giving one after a generation as often as {@code checkpoints} asks.
   */
  public static Result evolve(Template template, String idPrefix, ToDoubleFunction<double[]> train,
      Function<double[], OutOfSample> test, Function<double[], double[]> daily, Settings s, Executor executor,
      Consumer<Progress> progress, BooleanSupplier cancelled, Checkpointing checkpoints) {
    List<Template.Param> params = template.params();
    List<DoubleChromosome> chromosomes = new ArrayList<>();
    for (Template.Param p : params) chromosomes.add(DoubleChromosome.of(p.min(), p.max() + (p.integer() ? 0.999 : 0)));
    Genotype<DoubleGene> factory = Genotype.of(chromosomes);
    Checkpoint from = checkpoints.from();
    if (from != null) checkResumable(from, template, s);
    AtomicLong evaluations = new AtomicLong(from == null ? 0 : from.evaluations());
    long start = System.nanoTime() - (from == null ? 0 : (long) (from.seconds() * 1e9));
    // What the reports share: the generations done, the evaluations they took, the best so far, the last
    // median; and when the last report went (a generation's, or one while a long generation is under way).
    long[] generationsRun = {from == null ? 0 : from.generation()};
    double[] bestSoFar = {from == null ? Double.NEGATIVE_INFINITY : from.bestSoFar()};
    double[] lastMedian = {from == null ? Double.NaN : from.lastMedian()};
    long[] evaluationsDone = {evaluations.get()};
    long[] lastCheckpoint = {System.nanoTime()};
    AtomicLong lastReport = new AtomicLong(System.nanoTime());
    Object reporting = new Object(); // the caller's progress consumer is called by one thread at a time
    ToDoubleFunction<double[]> counted = v -> {
      // A cancelled run evaluates nothing more: the rest of the generation under way scores as invalid
      // at once, so a cancellation during a generation of 20,000 takes effect in a moment, not 25 s.
      if (cancelled.getAsBoolean()) return INVALID;
      long n = evaluations.incrementAndGet();
      double f;
      try {
        template.validate(v);
        f = train.applyAsDouble(v);
      } catch (IllegalArgumentException e) {
        f = INVALID;
      }
      long now = System.nanoTime(), prev = lastReport.get();
      if (now - prev >= 1_000_000_000L && lastReport.compareAndSet(prev, now)) {
        synchronized (reporting) {
          double secs = (now - start) / 1e9;
          progress.accept(new Progress(generationsRun[0], s.generations(), bestSoFar[0] == Double.NEGATIVE_INFINITY ? Double.NaN
              : bestSoFar[0], lastMedian[0], n, secs > 0 ? n / secs : 0, Math.max(0, n - evaluationsDone[0]),
              evaluationsAtMost(generationsRun[0] + 1, s.population())));
        }
      }
      return Double.isFinite(f) ? f : INVALID;
    };
    // Best fitness seen per distinct parameter vector (keyed by its contents).
    Map<List<Double>, Double> bestSeen = new LinkedHashMap<>();
    if (from != null) {
      for (int i = 0; i < from.seen().size(); i++) bestSeen.put(Arrays.stream(from.seen().get(i)).boxed().toList(), from.seenFitness()[i]);
    }
    boolean[] stopped = {false};
    CountingRandom random = new CountingRandom(s.seed(), from == null ? 0 : from.randomDraws());
    RandomRegistry.with(random, r -> {
          // Only the fitness evaluations run on the executor; they are pure (a parameter vector's
          // backtest), so the order they finish in changes nothing. Selection and alteration draw
          // random numbers and run on this thread, the only one with the seeded generator: the same
          // seed repeats a run on any number of threads. (Given to the builder, the executor would
          // also run selection on the pool's threads, outside the seed's reach.) The lambda keeps the
          // builder from swapping the evaluator's executor for its own.
          Evaluator<DoubleGene, Double> parallel = Evaluators.concurrent(gt -> counted.applyAsDouble(decode(template, gt)), executor);
          Evaluator<DoubleGene, Double> evaluator = parallel::eval;
          Engine<DoubleGene, Double> engine = new Engine.Builder<>(evaluator, factory)
              .populationSize(s.population())
              .optimize(Optimize.MAXIMUM)
              .offspringFraction(OFFSPRING_FRACTION)
              .selector(new TournamentSelector<>(3))
              .alterers(new Mutator<>(0.2), new MeanAlterer<>(0.5))
              .executor(Runnable::run)
              .build();
          // Each generation Jenetics makes (all of it evaluated) is recorded: its progress, its best.
          Consumer<EvolutionResult<DoubleGene, Double>> record = er -> {
            double[] fit = er.population().stream().mapToDouble(Phenotype::fitness).sorted().toArray();
            long now = System.nanoTime();
            double secs = (now - start) / 1e9;
            synchronized (reporting) {
              generationsRun[0]++;
              bestSoFar[0] = Math.max(bestSoFar[0], fit[fit.length - 1]);
              lastMedian[0] = fit[fit.length / 2];
              evaluationsDone[0] = evaluations.get();
              lastReport.set(now);
              progress.accept(new Progress(er.generation(), s.generations(), bestSoFar[0], fit[fit.length / 2],
                  evaluations.get(), secs > 0 ? evaluations.get() / secs : 0));
            }
            er.population().stream()
                .sorted(Comparator.comparingDouble((Phenotype<DoubleGene, Double> ph) -> ph.fitness()).reversed())
                .limit(4L * s.keep()) // more than kept: clones of one strategy may fill the top
                .forEach(ph -> {
                  double[] v = decode(template, ph.genotype());
                  bestSeen.merge(Arrays.stream(v).boxed().toList(), ph.fitness(), Math::max);
                });
            // none after the last generation: nothing is left to go on with (the ranking that follows
            // is repeated from the last checkpoint before it)
            if (!stopped[0] && generationsRun[0] < s.generations() && now - lastCheckpoint[0] >= checkpoints.everyNanos()) {
              lastCheckpoint[0] = now;
              prune(bestSeen, s.keep());
              checkpoints.save().accept(checkpoint(er, generationsRun[0], evaluationsDone[0], random.draws(), bestSoFar[0],
                  lastMedian[0], bestSeen, secs));
            }
          };
          // The cancellation is checked on each generation as Jenetics makes it, and that generation
          // still counts with the individuals evaluated before the cancellation came (the rest scored
          // invalid without a backtest; a cancellation during a large first generation would otherwise
          // leave nothing); the count is the stream's own limit, which
          // stops pulling after the last generation (Jenetics' generation limit tests the generation
          // after it, so that one was evaluated and thrown away).
          long left = s.generations() - generationsRun[0];
          return (from == null ? engine.stream() : engine.stream(restore(from, template)))
              .limit(er -> {
                if (cancelled.getAsBoolean()) {
                  stopped[0] = true;
                  // a generation in which nothing was evaluated before the cancellation is not one
                  boolean evaluatedAny;
                  synchronized (reporting) {
                    evaluatedAny = evaluations.get() > evaluationsDone[0];
                  }
                  if (evaluatedAny) record.accept(er);
                  return false;
                }
                return true;
              })
              .limit(left)
              .peek(record)
              .collect(EvolutionResult.toBestEvolutionResult());
        });
    List<Map.Entry<List<Double>, Double>> ranked = new ArrayList<>(bestSeen.entrySet());
    ranked.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    List<Candidate> out = new ArrayList<>();
    // A vector whose fitness in both windows is that of a better-ranked one, to within COPY_TOLERANCE,
    // trades the same or nearly (it differs in a parameter that changed little or nothing, e.g. an
    // ATR period behind a wide stop): a copy, left out so that the candidates are different
    // strategies. At most 10 × keep are tested.
    // With daily, a vector whose training P&L moves with a candidate's is left out first (at most 50 ×
    // keep are looked at). The daily P&L (a backtest each) is worked out ahead, a batch at a time on
    // the executor: they are pure, so the choice is the same on any number of threads.
    List<double[]> figures = new ArrayList<>();
    List<double[]> chosen = new ArrayList<>();
    List<double[]> vectors = new ArrayList<>();
    List<Double> trainFitnesses = new ArrayList<>();
    for (Map.Entry<List<Double>, Double> e : ranked) {
      if (e.getValue() <= INVALID) continue;
      vectors.add(e.getKey().stream().mapToDouble(Double::doubleValue).toArray());
      trainFitnesses.add(e.getValue());
    }
    List<java.util.concurrent.CompletableFuture<double[]>> ahead = new ArrayList<>();
    int tested = 0, looked = 0;
    try {
      for (int i = 0; i < vectors.size(); i++) {
        if (out.size() >= s.keep() || tested >= 10 * s.keep() || i >= RANKED * s.keep()) break;
        double[] v = vectors.get(i);
        double trainFitness = trainFitnesses.get(i);
        double[] ret = null;
        if (daily != null) {
          for (int j = ahead.size(); j < Math.min(vectors.size(), i + DAILY_AHEAD); j++) {
            double[] w = vectors.get(j);
            ahead.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> daily.apply(w), executor));
          }
          ret = joined(ahead.get(i));
          looked++;
          if (movesLike(chosen, ret)) continue;
        }
        OutOfSample t = test.apply(v);
        tested++;
        if (isCopy(figures, trainFitness, t.fitness())) continue;
        figures.add(new double[] {trainFitness, t.fitness()});
        if (ret != null) chosen.add(ret);
        List<String> failed = new ArrayList<>();
        // kept only if it holds up in both windows: a set that is poor on the data it was fitted to and
        // good after it is luck, not an edge
        if (!(trainFitness >= s.minTestFitness())) {
          failed.add(String.format(java.util.Locale.ROOT, "in-sample fitness %.3f < %s", trainFitness,
              com.quantumtrader.common.Numbers.typed(s.minTestFitness())));
        }
        if (!(t.fitness() >= s.minTestFitness())) {
          failed.add(String.format(java.util.Locale.ROOT, "fitness %.3f < %s", t.fitness(), com.quantumtrader.common.Numbers.typed(s.minTestFitness())));
        }
        if (t.failed() != null) failed.add(t.failed());
        boolean kept = failed.isEmpty();
        out.add(new Candidate(new StrategySpec(idPrefix + "-" + out.size(), template, v), trainFitness, t.fitness(), kept,
            kept ? "kept" : String.join("; ", failed)));
      }
    } finally {
      ahead.forEach(f -> f.cancel(false)); // those not started yet are not needed (also after a failure)
    }
    long gens = generationsRun[0];
    return new Result(template, out, gens, evaluations.get(), (System.nanoTime() - start) / 1e9, stopped[0], looked);
  }

  /** The final ranking looks at the best {@code RANKED × keep} valid vectors at most. */
  static final int RANKED = 50;

  /**
   * Keeps in {@code seen} only the vectors that can still be among the {@code RANKED × keep} the final
   * ranking looks at: the first that many valid ones in its order (fitness, highest first; among equal
   * fitness, the first seen first). A vector's fitness is the same whenever it is seen, so one that
   * comes later only ever goes behind those: one not among them now never will be. The ranking is the
   * same with or without the others; a long run's checkpoint stays small.
   */
  static void prune(Map<List<Double>, Double> seen, int keep) {
    int top = RANKED * keep;
    if (seen.size() <= top) return;
    List<Map.Entry<List<Double>, Double>> order = new ArrayList<>(seen.entrySet());
    order.sort((a, b) -> Double.compare(b.getValue(), a.getValue())); // stable: ties in the order first seen
    java.util.Set<List<Double>> kept = new java.util.HashSet<>();
    for (Map.Entry<List<Double>, Double> e : order) {
      if (kept.size() == top) break;
      if (e.getValue() > INVALID) kept.add(e.getKey());
    }
    seen.keySet().retainAll(kept);
  }

  /** Fitness within this share (of the larger of 1 and its size) of a better candidate's, in both windows: a copy. */
  static final double COPY_TOLERANCE = 0.005;

  /** Vectors whose daily P&L is worked out ahead of the one being looked at (a few per core). */
  private static final int DAILY_AHEAD = 8;

  /** The correlation of two vectors' daily training P&L at or above which they are one strategy. */
  static final double SAME_STRATEGY = 0.8;

  /** A daily P&L worked out on the executor; its failure as thrown there (not wrapped). */
  private static double[] joined(java.util.concurrent.CompletableFuture<double[]> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw e;
    }
  }

  private static boolean movesLike(List<double[]> kept, double[] r) {
    for (double[] k : kept) {
      if (com.quantumtrader.analytics.Metrics.correlation(k, r) >= SAME_STRATEGY) return true;
    }
    return false;
  }

  private static boolean isCopy(List<double[]> kept, double train, double test) {
    for (double[] k : kept) {
      if (close(k[0], train) && close(k[1], test)) return true;
    }
    return false;
  }

  private static boolean close(double a, double b) {
    return a == b || Math.abs(a - b) <= COPY_TOLERANCE * Math.max(1, Math.abs(a));
  }


  private static Checkpoint checkpoint(EvolutionResult<DoubleGene, Double> er, long generation, long evaluations, long draws,
      double best, double median, Map<List<Double>, Double> seen, double seconds) {
    int n = er.population().size();
    List<double[]> genes = new ArrayList<>(n);
    double[] fitness = new double[n];
    long[] born = new long[n];
    for (int i = 0; i < n; i++) {
      Phenotype<DoubleGene, Double> ph = er.population().get(i);
      Genotype<DoubleGene> gt = ph.genotype();
      double[] g = new double[gt.length()];
      for (int j = 0; j < g.length; j++) g[j] = gt.get(j).gene().allele();
      genes.add(g);
      fitness[i] = ph.fitness();
      born[i] = ph.generation();
    }
    List<double[]> vectors = new ArrayList<>(seen.size());
    double[] seenFitness = new double[seen.size()];
    int k = 0;
    for (Map.Entry<List<Double>, Double> e : seen.entrySet()) {
      vectors.add(e.getKey().stream().mapToDouble(Double::doubleValue).toArray());
      seenFitness[k++] = e.getValue();
    }
    return new Checkpoint(generation, evaluations, draws, best, median, genes, fitness, born, vectors, seenFitness, seconds);
  }

  /** The population of {@code c} as the next generation's start. */
  private static io.jenetics.engine.EvolutionStart<DoubleGene, Double> restore(Checkpoint c, Template template) {
    List<Template.Param> ps = template.params();
    List<Phenotype<DoubleGene, Double>> population = new ArrayList<>(c.genes().size());
    for (int i = 0; i < c.genes().size(); i++) {
      List<DoubleChromosome> chromosomes = new ArrayList<>(ps.size());
      for (int j = 0; j < ps.size(); j++) {
        Template.Param p = ps.get(j);
        chromosomes.add(DoubleChromosome.of(DoubleGene.of(c.genes().get(i)[j], p.min(), p.max() + (p.integer() ? 0.999 : 0))));
      }
      population.add(Phenotype.of(Genotype.of(chromosomes), c.born()[i], c.fitness()[i]));
    }
    return io.jenetics.engine.EvolutionStart.of(io.jenetics.util.ISeq.of(population), c.generation() + 1);
  }

  /** Refuses a checkpoint of another kind of run than the one about to go on from it. */
  private static void checkResumable(Checkpoint c, Template template, Settings s) {
    String wrong = notResumable(c, template, s.population(), s.generations());
    if (wrong != null) throw new IllegalArgumentException("cannot resume from this checkpoint: " + wrong);
  }

  /** Why a run of {@code template}, {@code population} and {@code generations} cannot go on from {@code c}; null if it can. */
  public static String notResumable(Checkpoint c, Template template, int population, int generations) {
    int params = template.params().size();
    return c.genes().size() != population ? "a population of " + c.genes().size() + ", not " + population
        : c.generation() >= generations ? c.generation() + " generations done of " + generations
        : c.genes().stream().anyMatch(g -> g.length != params) ? "genes of another template than " + template
        : c.fitness().length != c.genes().size() || c.born().length != c.genes().size() || c.seenFitness().length != c.seen().size()
            ? "lists of different lengths" : null;
  }

  /** A genotype as the template's parameter vector (whole-number parameters rounded down into range). */
  static double[] decode(Template t, Genotype<DoubleGene> gt) {
    List<Template.Param> ps = t.params();
    double[] v = new double[ps.size()];
    for (int i = 0; i < v.length; i++) {
      double x = gt.get(i).gene().allele();
      Template.Param p = ps.get(i);
      v[i] = p.integer() ? Math.min(p.max(), Math.floor(x)) : Math.min(p.max(), x);
    }
    return v;
  }
}
