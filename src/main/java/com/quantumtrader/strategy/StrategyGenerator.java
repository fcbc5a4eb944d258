package com.quantumtrader.strategy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Strategy Generator (SG AI) as a node component: runs one {@link Generator} evolution at a
 * time on the {@code quantum-trader.sg-ai.dispatcher} (all cores; the driver on the blocking-io
 * dispatcher), reports its progress (generation, best and median fitness, evaluations/s,
 * bar-steps/s) to whoever asks and in the log, can be cancelled, and registers the candidates that
 * hold up out of sample in the {@link StrategyRegistry} (origin {@code SG_AI}, with their in- and
 * out-of-sample records) and starts their shadow period. Runs are not persisted: a run interrupted by a fail-over is
 * lost (its registered candidates are not). A cluster singleton.
 */
public final class StrategyGenerator {
  private StrategyGenerator() {}

  public static final String DISPATCHER = "quantum-trader.sg-ai.dispatcher";

  /**
   * @param population default population ({@code QT_SG_POPULATION_SIZE})
   * @param generations default generations ({@code QT_SG_GENERATIONS})
   * @param syntheticBars bars of the synthetic market used when a run names no data
   */
  public record Settings(int population, int generations, int syntheticBars) {}

  public sealed interface Command extends CborSerializable {}

  /**
   * @param data a candle file (or a folder with {@code symbol}); null: a seeded synthetic market
   * @param population null: the default; likewise generations
   */
  public record StartRun(Template template, String data, String symbol, Integer population, Integer generations, Long seed,
      String by, ActorRef<RunReply> replyTo) implements Command {}

  public record GetRun(String runId, ActorRef<RunReply> replyTo) implements Command {}

  public record ListRuns(ActorRef<Runs> replyTo) implements Command {}

  public record CancelRun(String runId, String by, ActorRef<RunReply> replyTo) implements Command {}

  public sealed interface RunReply extends CborSerializable {}

  public record RunStatus(String runId, Template template, String data, String state, String by, Instant started,
      Evolver.Progress progress, double barStepsPerSecond, List<CandidateView> candidates, String error) implements RunReply {}

  public record RunRefused(String code, String message) implements RunReply {}

  public record Runs(List<RunStatus> runs) implements CborSerializable {}

  /** A candidate of a finished run: its spec, both windows' fitness and figures, and whether it was kept. */
  public record CandidateView(StrategySpec spec, double trainFitness, double testFitness, boolean kept,
      BacktestResult.Summary inSample, BacktestResult.Summary outOfSample, String registered) implements CborSerializable {}

  private record Progressed(String runId, Evolver.Progress progress) implements Command {}

  private record Finished(String runId, Evolver.Result result, List<BacktestResult.Summary[]> figures, Throwable failure)
      implements Command {}

  private record Registered(String runId, String specId, String outcome) implements Command {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "strategy-generator"));
  }

  /** @param registry where kept candidates are registered (null: only reported) */
  public static Behavior<Command> create(Settings settings, ActorRef<StrategyRegistry.Command> registry) {
    return Behaviors.setup(ctx -> new Runner(ctx, settings, registry).behavior());
  }

  /** The actor's state: runs by id (the last 20 kept), the running one's cancel flag. */
  private static final class Runner {
    final ActorContext<Command> ctx;
    final Settings settings;
    final ActorRef<StrategyRegistry.Command> registry;
    final Map<String, RunStatus> runs = new LinkedHashMap<>();
    final Map<String, AtomicBoolean> cancel = new LinkedHashMap<>();
    final Map<String, Integer> barsPerRun = new LinkedHashMap<>();
    int seq;

    Runner(ActorContext<Command> ctx, Settings settings, ActorRef<StrategyRegistry.Command> registry) {
      this.ctx = ctx;
      this.settings = settings;
      this.registry = registry;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(StartRun.class, this::start)
          .onMessage(GetRun.class, m -> {
            RunStatus s = runs.get(m.runId());
            m.replyTo().tell(s != null ? s : new RunRefused("not_found", "no run " + m.runId()));
            return Behaviors.same();
          })
          .onMessage(ListRuns.class, m -> {
            m.replyTo().tell(new Runs(new ArrayList<>(runs.values())));
            return Behaviors.same();
          })
          .onMessage(CancelRun.class, m -> {
            RunStatus s = runs.get(m.runId());
            if (s == null) {
              m.replyTo().tell(new RunRefused("not_found", "no run " + m.runId()));
            } else if (!s.state().equals("RUNNING")) {
              m.replyTo().tell(new RunRefused("invalid", "run " + m.runId() + " is " + s.state()));
            } else {
              cancel.get(m.runId()).set(true);
              ctx.getLog().info("sg-ai: run {} cancelled by {}", m.runId(), m.by());
              m.replyTo().tell(s);
            }
            return Behaviors.same();
          })
          .onMessage(Progressed.class, m -> {
            RunStatus s = runs.get(m.runId());
            if (s != null && s.state().equals("RUNNING")) {
              double barSteps = m.progress().evaluationsPerSecond() * barsPerRun.getOrDefault(m.runId(), 0);
              runs.put(m.runId(), new RunStatus(s.runId(), s.template(), s.data(), s.state(), s.by(), s.started(), m.progress(),
                  barSteps, List.of(), null));
              if (m.progress().generation() % 10 == 0 || m.progress().generation() == m.progress().generations()) {
                ctx.getLog().info("sg-ai: run {} generation {}/{}: best fitness {}, median {}, {} evaluations/s, {} bar-steps/s",
                    m.runId(), m.progress().generation(), m.progress().generations(), String.format("%.3f", m.progress().bestFitness()),
                    String.format("%.3f", m.progress().medianFitness()), String.format("%,.0f", m.progress().evaluationsPerSecond()),
                    String.format("%,.0f", barSteps));
              }
            }
            return Behaviors.same();
          })
          .onMessage(Finished.class, this::finished)
          .onMessage(Registered.class, m -> {
            RunStatus s = runs.get(m.runId());
            if (s == null) return Behaviors.same();
            List<CandidateView> cs = new ArrayList<>();
            for (CandidateView c : s.candidates()) {
              cs.add(c.spec().id().equals(m.specId()) ? new CandidateView(c.spec(), c.trainFitness(), c.testFitness(), c.kept(),
                  c.inSample(), c.outOfSample(), m.outcome()) : c);
            }
            runs.put(m.runId(), new RunStatus(s.runId(), s.template(), s.data(), s.state(), s.by(), s.started(), s.progress(),
                s.barStepsPerSecond(), cs, s.error()));
            return Behaviors.same();
          })
          .build();
    }

    private Behavior<Command> start(StartRun m) {
      for (RunStatus r : runs.values()) {
        if (r.state().equals("RUNNING")) {
          m.replyTo().tell(new RunRefused("busy", "run " + r.runId() + " is still running; cancel it or wait"));
          return Behaviors.same();
        }
      }
      if (m.template() == null) {
        m.replyTo().tell(new RunRefused("invalid", "a template is required (" + java.util.Arrays.toString(Template.values()) + ")"));
        return Behaviors.same();
      }
      int pop = m.population() != null ? m.population() : settings.population();
      int gens = m.generations() != null ? m.generations() : settings.generations();
      if (pop < 2 || pop > 100_000 || gens < 1 || gens > 100_000) {
        m.replyTo().tell(new RunRefused("invalid", "population must be in [2, 100000] and generations in [1, 100000]"));
        return Behaviors.same();
      }
      BarArrays bars;
      String data;
      try {
        if (m.data() == null || m.data().isBlank()) {
          bars = synthetic(settings.syntheticBars(), m.seed() != null ? m.seed() : 42);
          data = "synthetic (" + bars.size() + " hourly bars)";
        } else {
          Path p = Path.of(m.data());
          if (!Files.exists(p)) throw new IllegalArgumentException("no such file or folder: " + m.data());
          List<BarArrays> all = BarArrays.load(p);
          bars = all.stream().filter(b -> m.symbol() == null || b.symbol.equals(m.symbol())).findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no bars of " + m.symbol() + " in " + m.data()));
          data = m.data() + " " + bars.symbol;
        }
      } catch (RuntimeException e) {
        m.replyTo().tell(new RunRefused("invalid", e.getMessage()));
        return Behaviors.same();
      }
      String id = "run-" + (++seq) + "-" + m.template().name().toLowerCase(java.util.Locale.ROOT);
      Generator.Settings gs = Generator.defaults(pop, gens, m.seed() != null ? m.seed() : System.nanoTime());
      AtomicBoolean cancelled = new AtomicBoolean();
      cancel.put(id, cancelled);
      barsPerRun.put(id, bars.size());
      RunStatus status = new RunStatus(id, m.template(), data, "RUNNING", m.by(), Instant.now(), null, 0, List.of(), null);
      runs.put(id, status);
      while (runs.size() > 20) runs.remove(runs.keySet().iterator().next());
      ctx.getLog().info("sg-ai: run {} started by {}: {} on {}, population {}, {} generations", id, m.by(), m.template(), data, pop, gens);
      Executor evaluations = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
      Executor driver = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      var self = ctx.getSelf();
      final BarArrays b = bars;
      CompletableFuture.runAsync(() -> {
        try {
          Evolver.Result r = Generator.run(m.template(), b, gs, evaluations, p -> self.tell(new Progressed(id, p)), cancelled::get);
          self.tell(new Finished(id, r, Generator.figures(r, b, gs), null));
        } catch (RuntimeException e) {
          self.tell(new Finished(id, null, null, e));
        }
      }, driver);
      m.replyTo().tell(status);
      return Behaviors.same();
    }

    private Behavior<Command> finished(Finished m) {
      RunStatus s = runs.get(m.runId());
      if (s == null) return Behaviors.same();
      if (m.failure() != null) {
        ctx.getLog().error("sg-ai: run {} failed: {}", m.runId(), m.failure().getMessage());
        runs.put(m.runId(), new RunStatus(s.runId(), s.template(), s.data(), "FAILED", s.by(), s.started(), s.progress(),
            s.barStepsPerSecond(), List.of(), m.failure().getMessage()));
        return Behaviors.same();
      }
      Evolver.Result r = m.result();
      List<CandidateView> cs = new ArrayList<>();
      for (int i = 0; i < r.candidates().size(); i++) {
        Evolver.Candidate c = r.candidates().get(i);
        BacktestResult.Summary[] f = m.figures().get(i);
        StrategySpec spec = new StrategySpec(m.runId() + "-" + i, c.spec().template(), c.spec().params());
        cs.add(new CandidateView(spec, c.trainFitness(), c.testFitness(), c.kept(), f[0], f[1], null));
        if (c.kept() && registry != null) {
          StrategyRegistry.BacktestSummary summary = new StrategyRegistry.BacktestSummary(record(f[0]), record(f[1]));
          ctx.ask(StrategyRegistry.Reply.class, registry, Duration.ofSeconds(10),
              rt -> new StrategyRegistry.Register(spec, "SG_AI", summary, rt),
              (reply, err) -> {
                if (err == null && reply instanceof StrategyRegistry.Accepted) {
                  // Straight into its shadow period: it trades there on its own book before any promotion.
                  registry.tell(new StrategyRegistry.StartShadow(spec.id(), "SG_AI", "kept out of sample by " + m.runId(),
                      ctx.getSystem().ignoreRef()));
                  return new Registered(m.runId(), spec.id(), "registered, in SHADOW");
                }
                return new Registered(m.runId(), spec.id(), err != null ? "not registered: " + err.getMessage()
                    : "not registered: " + ((StrategyRegistry.Rejected) reply).message());
              });
        }
      }
      String state = r.cancelled() ? "CANCELLED" : "DONE";
      runs.put(m.runId(), new RunStatus(s.runId(), s.template(), s.data(), state, s.by(), s.started(), s.progress(),
          s.barStepsPerSecond(), cs, null));
      ctx.getLog().info("sg-ai: run {} {} after {} generations, {} evaluations in {} s: {} of {} candidates hold up out of sample",
          m.runId(), state.toLowerCase(java.util.Locale.ROOT), r.generations(), r.evaluations(), String.format("%.1f", r.seconds()),
          r.kept().size(), r.candidates().size());
      return Behaviors.same();
    }
  }

  /** A backtest window's figures as a track record (days from the bars' span is not known here: 0). */
  static TrackRecord record(BacktestResult.Summary s) {
    return new TrackRecord(s.tradeCount(), 0, s.totalReturn(), s.sharpe(), s.maxDrawdown(), s.profitFactor());
  }

  /** A seeded synthetic market's first symbol, {@code n} hourly bars. */
  static BarArrays synthetic(int n, long seed) {
    SyntheticMarket m = new SyntheticMarket(seed, 1, "1h", 1_704_067_200_000L, n);
    List<Bar> bars = new ArrayList<>(n);
    for (Bar b; (b = m.next()) != null; ) bars.add(b);
    return BarArrays.of(bars);
  }
}
