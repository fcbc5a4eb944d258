package com.quantumtrader.strategy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Journalable;
import com.quantumtrader.market.CsvBarFile;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.SyntheticMarket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Strategy Generator (SG AI) as a node component: runs one {@link Generator} evolution at a
 * time on the {@code quantum-trader.sg-ai.dispatcher} (all cores; the driver on the blocking-io
 * dispatcher), reports its progress (generation, best and median fitness, evaluations/s,
 * bar-steps/s) to whoever asks and in the log, can be cancelled, and registers the candidates that
 * hold up out of sample in the {@link StrategyRegistry} (origin {@code SG_AI}, with their in- and
 * out-of-sample records) and starts their shadow period. A cluster singleton.
 *
 * <p>Event-sourced: a run is acknowledged once its start is in the journal, and its end (the
 * candidates with both windows' figures, or the failure), a cancellation and each registration
 * outcome are journaled too, so the last {@value #KEPT_RUNS} runs (and older ones with a registered
 * candidate, {@value #KEPT_RUNS_AT_MOST} in all) survive a restart or a fail-over.
 * The progress of the run in flight is not journaled, but a checkpoint of it is, after a generation
 * once every {@link #CHECKPOINT_EVERY} ({@link Evolver.Checkpoint}: its population, the draws of its
 * seeded generator, the best so far; only the latest is kept in the state). A run the generator stopped during
 * (the journal has its start but no end: its node or the generator itself restarted, or a fail-over)
 * is started again on recovery from its last checkpoint, or from its first generation if it has none,
 * with its seed, data and sizes: it ends as the run never stopped would have ({@code resumes} counts
 * it); once only, so that a run which brings its node down does not do so at
 * every start, and only if its candle files are unchanged (name, size, modification time). Otherwise,
 * or when resuming is off, it is marked INTERRUPTED, with the seed that repeats it.
 */
public final class StrategyGenerator
    extends EventSourcedBehaviorWithEnforcedReplies<StrategyGenerator.Command, StrategyGenerator.Event, StrategyGenerator.State> {

  public static final String DISPATCHER = "quantum-trader.sg-ai.dispatcher";
  static final String PERSISTENCE_ID = "strategy-generator";
  /**
   * Runs kept in the state: the last {@code KEPT_RUNS}, and besides them those with a registered
   * candidate (a strategy's origin stays readable), up to {@code KEPT_RUNS_AT_MOST} in all; the oldest
   * go first. (A run with its candidates is about 3 KB serialized; the state and the runs' list cross
   * nodes as one message, which must stay well under Akka's 256 KiB frame.)
   */
  static final int KEPT_RUNS = 20, KEPT_RUNS_AT_MOST = 40;
  /** How often a run the node stopped during is started again on recovery. */
  static final int MAX_RESUMES = 1;

  /** How often a run in flight journals a checkpoint at most (after the generation that ends past it). */
  static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(30);

  /** The journal a run's checkpoints may take an hour: a large population's are taken less often. */
  static final long CHECKPOINT_BYTES_PER_HOUR = 50L << 20;

  /**
   * How often a run of {@code population} individuals of {@code params} genes journals a checkpoint:
   * every {@code every}, or less often when its checkpoints (about 9 bytes a number) would take more
   * than {@link #CHECKPOINT_BYTES_PER_HOUR} (a population of 100,000 of 5 genes: every 7.2 minutes).
   */
  static Duration checkpointInterval(Duration every, int population, int params) {
    long bytes = 9L * ((long) population * (params + 2) + (long) Evolver.RANKED * 5 * (params + 1));
    return every.compareTo(Duration.ofMillis(bytes * 3_600_000L / CHECKPOINT_BYTES_PER_HOUR)) >= 0 ? every
        : Duration.ofMillis(bytes * 3_600_000L / CHECKPOINT_BYTES_PER_HOUR);
  }

  /**
   * @param population default population ({@code QT_SG_POPULATION_SIZE})
   * @param generations default generations ({@code QT_SG_GENERATIONS})
   * @param syntheticBars bars of the synthetic market used when a run names no data
   * @param dataIntervals the node's candle intervals ({@code QT_MARKET_INTERVAL}; empty: all), what a
   *     run that names no interval chooses from
   * @param resumeInterrupted start a run the node stopped during again on recovery ({@code
   *     QT_SG_RESUME_INTERRUPTED}), once
   */
  /**
   * @param minConfidence the minimum confidence a run's backtests take entries at, as the risk gate
   *     does: the node's NORMAL preset's ({@code policy.presets.NORMAL.min-confidence})
   */
  public record Settings(int population, int generations, int syntheticBars, java.util.Set<String> dataIntervals,
      boolean resumeInterrupted, double minConfidence) {}

  public sealed interface Command extends CborSerializable {}

  /**
   * @param data a candle file, or a folder with {@code symbol} (and {@code interval} if the symbol has
   *     several); null: the synthetic market drawn with the run's seed
   * @param population null: the default; likewise generations
   * @param seed null: from the clock (the run's status shows the one used)
   */
  public record StartRun(Template template, String data, String symbol, String interval, Integer population, Integer generations,
      Long seed, String by, ActorRef<RunReply> replyTo) implements Command {}

  public record GetRun(String runId, ActorRef<RunReply> replyTo) implements Command {}

  public record ListRuns(ActorRef<Runs> replyTo) implements Command {}

  public record CancelRun(String runId, String by, ActorRef<RunReply> replyTo) implements Command {}

  public sealed interface RunReply extends CborSerializable {}

  /**
   * Where a run's candles come from: the file or folder it named and the series chosen there, with
   * the {@code stamp} of its files when the run started ({@link CsvFolderFeed#stamp}), or ({@code
   * path} null) the synthetic market of {@code syntheticBars} hourly bars drawn with its seed.
   */
  public record RunSource(String path, String symbol, String interval, int syntheticBars, String stamp)
      implements CborSerializable {
    boolean selects(CsvBarFile.Name n) {
      return n.symbol().equals(symbol) && n.interval().equals(interval);
    }
  }

  /**
   * A run: {@code state} RUNNING, DONE, CANCELLED, FAILED or INTERRUPTED; {@code progress} the last
   * reported (null before the first report: a generation's end, or a second into a long first
   * generation, see {@link Evolver.Progress}); {@code cancelledBy} who asked to cancel it (the
   * run then ends CANCELLED); {@code source} its candles (null for a run journaled before sources
   * were); {@code resumes} how often it was started again after its node stopped during it; {@code
   * rowsLeftOut} the rows of its candle file that were not valid bars, per symbol and reason, once it
   * has finished (null when none were, or for a run journaled before this was kept).
   */
  public record RunStatus(String runId, Template template, String data, String state, String by, Instant started,
      int population, int generations, long seed, Evolver.Progress progress, double barStepsPerSecond,
      List<CandidateView> candidates, String cancelledBy, String error, RunSource source, int resumes, String rowsLeftOut)
      implements RunReply {
    RunStatus with(String newState, Evolver.Progress p, double barSteps, List<CandidateView> cs, String err) {
      return new RunStatus(runId, template, data, newState, by, started, population, generations, seed, p, barSteps, List.copyOf(cs),
          cancelledBy, err, source, resumes, rowsLeftOut);
    }

    RunStatus cancelledBy(String who) {
      return new RunStatus(runId, template, data, state, by, started, population, generations, seed, progress, barStepsPerSecond,
          candidates, who, error, source, resumes, rowsLeftOut);
    }

    RunStatus resumed(int attempt) {
      return new RunStatus(runId, template, data, "RUNNING", by, started, population, generations, seed, null, 0, List.of(),
          cancelledBy, null, source, attempt, null);
    }

    RunStatus leftOut(String rows) {
      return new RunStatus(runId, template, data, state, by, started, population, generations, seed, progress, barStepsPerSecond,
          candidates, cancelledBy, error, source, resumes, rows);
    }
  }

  public record RunRefused(String code, String message) implements RunReply {}

  public record Runs(List<RunStatus> runs) implements CborSerializable {}

  /**
   * A candidate of a finished run: its spec, both windows' fitness and figures, whether it was kept
   * and the verdict ({@link Evolver.Candidate#verdict()}; null in a run journaled before verdicts).
   */
  public record CandidateView(StrategySpec spec, double trainFitness, double testFitness, boolean kept, String verdict,
      BacktestResult.Summary inSample, BacktestResult.Summary outOfSample, String registered) implements CborSerializable {}

  /**
   * @param attempt the run's {@code resumes} when it was launched (a report of an earlier attempt is
   *     dropped)
   * @param trainBars the bars of the training window (bar-steps per evaluation)
   */
  private record Progressed(String runId, int attempt, Evolver.Progress progress, int trainBars) implements Command {}

  private record Checkpointed(String runId, int attempt, Evolver.Checkpoint checkpoint) implements Command {}

  private record Finished(String runId, int attempt, Evolver.Result result, List<BacktestResult.Summary[]> figures,
      String rowsLeftOut, Throwable failure) implements Command {}

  private record Registered(String runId, String specId, String outcome) implements Command {}

  /** A registration or shadow start the registry did not answer: tried again after a while, a few times. */
  private record RegistrationFailed(String runId, CandidateView candidate, int attempt, String error) implements Command {}

  private record Retry(String runId, CandidateView candidate, int attempt) implements Command {}

  /** How many times a kept candidate's registration and shadow start are tried while the node runs. */
  static final int REGISTRATION_ATTEMPTS = 5;

  /**
   * Sent to itself after recovery: the runs the journal showed as running then (by id) were
   * interrupted, and the kept candidates of finished runs without a registration outcome are
   * registered (again).
   */
  private record AfterRecovery(List<String> running, List<String> unregistered) implements Command {}

  public sealed interface Event extends CborSerializable {}

  /** @param source null in events journaled before sources were (such a run cannot be resumed) */
  public record RunStarted(String runId, Template template, String data, int population, int generations, long seed, String by,
      Instant started, RunSource source) implements Event {}

  /** Started again (from its last checkpoint, or its first generation) after its node stopped during it; {@code attempt} counts from 1. */
  public record RunResumed(String runId, int attempt, String reason) implements Event {}

  /** Where the run's attempt {@code attempt} stood after a generation: what a resumed run goes on from. */
  public record RunCheckpointed(String runId, int attempt, Evolver.Checkpoint checkpoint) implements Event {}

  public record RunCancelRequested(String runId, String by) implements Event {}

  /** @param state DONE or CANCELLED */
  /** {@code rowsLeftOut}: the candle file's rows that were not valid bars (null: none, or journaled before this was kept). */
  public record RunFinished(String runId, String state, Evolver.Progress progress, double barStepsPerSecond,
      List<CandidateView> candidates, String rowsLeftOut) implements Event {}

  public record RunFailed(String runId, Evolver.Progress progress, String error) implements Event {}

  public record RunInterrupted(String runId, String reason) implements Event {}

  public record CandidateRegistered(String runId, String specId, String outcome) implements Event {}

  /**
   * The runs started so far (for the ids) and the last {@link #KEPT_RUNS} of them, with older ones
   * whose candidates were registered (at most {@link #KEPT_RUNS_AT_MOST} in all), oldest first.
   */
  public record State(int started, List<RunStatus> runs, Map<String, Evolver.Checkpoint> checkpoints) implements CborSerializable {
    public State {
      checkpoints = checkpoints == null ? Map.of() : checkpoints; // a snapshot of the version before
    }

    public State(int started, List<RunStatus> runs) {
      this(started, runs, Map.of());
    }

    /** The run's latest checkpoint, or null. */
    Evolver.Checkpoint checkpoint(String runId) {
      return checkpoints.get(runId);
    }

    private State withCheckpoint(String runId, Evolver.Checkpoint c) {
      Map<String, Evolver.Checkpoint> m = new HashMap<>(checkpoints);
      if (c == null) m.remove(runId);
      else m.put(runId, c);
      return new State(started, runs, Map.copyOf(m));
    }

    RunStatus get(String runId) {
      for (RunStatus r : runs) if (r.runId().equals(runId)) return r;
      return null;
    }

    RunStatus running() {
      for (RunStatus r : runs) if (r.state().equals("RUNNING")) return r;
      return null;
    }

    private State replace(RunStatus s) {
      List<RunStatus> l = new ArrayList<>(runs);
      l.replaceAll(r -> r.runId().equals(s.runId()) ? s : r);
      State next = new State(started, List.copyOf(l), checkpoints);
      // a run that ended needs no checkpoint
      return s.state().equals("RUNNING") || !checkpoints.containsKey(s.runId()) ? next : next.withCheckpoint(s.runId(), null);
    }

    State apply(Event e) {
      if (e instanceof RunStarted r) {
        List<RunStatus> l = new ArrayList<>(runs);
        l.add(new RunStatus(r.runId(), r.template(), r.data(), "RUNNING", r.by(), r.started(), r.population(), r.generations(),
            r.seed(), null, 0, List.of(), null, null, r.source(), 0, null));
        evict(l);
        Map<String, Evolver.Checkpoint> kept = new HashMap<>(checkpoints);
        kept.keySet().removeIf(id -> l.stream().noneMatch(x -> x.runId().equals(id)));
        return new State(started + 1, List.copyOf(l), Map.copyOf(kept));
      }
      RunStatus s = get(runId(e));
      if (s == null) return this; // a run already dropped from the last ones
      if (e instanceof RunCancelRequested c) return replace(s.cancelledBy(c.by()));
      if (e instanceof RunCheckpointed c) {
        return s.state().equals("RUNNING") && s.resumes() == c.attempt() ? withCheckpoint(c.runId(), c.checkpoint()) : this;
      }
      if (e instanceof RunResumed r) return replace(s.resumed(r.attempt()));
      // a run someone asked to cancel ends CANCELLED, even if it got to its last generation first
      if (e instanceof RunFinished f) {
        return replace(s.with(s.cancelledBy() != null ? "CANCELLED" : f.state(), f.progress(), f.barStepsPerSecond(), f.candidates(), null)
            .leftOut(f.rowsLeftOut()));
      }
      if (e instanceof RunFailed f) return replace(s.with("FAILED", f.progress(), s.barStepsPerSecond(), List.of(), f.error()));
      if (e instanceof RunInterrupted i) {
        return replace(s.with(s.cancelledBy() != null ? "CANCELLED" : "INTERRUPTED", s.progress(), s.barStepsPerSecond(), List.of(),
            i.reason()));
      }
      if (e instanceof CandidateRegistered c) {
        List<CandidateView> cs = new ArrayList<>();
        for (CandidateView v : s.candidates()) {
          cs.add(v.spec().id().equals(c.specId())
              ? new CandidateView(v.spec(), v.trainFitness(), v.testFitness(), v.kept(), v.verdict(), v.inSample(), v.outOfSample(),
                  c.outcome())
              : v);
        }
        return replace(s.with(s.state(), s.progress(), s.barStepsPerSecond(), cs, s.error()));
      }
      return this;
    }

    /** Beyond the last KEPT_RUNS, only runs with a registered candidate stay (the oldest of them go past the cap). */
    private static void evict(List<RunStatus> l) {
      for (int i = 0; i < l.size() - KEPT_RUNS; ) {
        if (l.get(i).candidates().stream().anyMatch(c -> c.registered() != null && c.registered().startsWith("registered"))) i++;
        else l.remove(i);
      }
      while (l.size() > KEPT_RUNS_AT_MOST) l.remove(0);
    }

    /** Why {@code runId} is not in the state: never started, another run's number, or no longer kept. */
    String notFound(String runId) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("run-([1-9]\\d{0,8})-(.+)").matcher(runId);
      if (!m.matches() || Integer.parseInt(m.group(1)) > started) return "no run " + runId;
      String number = "run-" + m.group(1) + "-";
      for (RunStatus r : runs) {
        if (r.runId().startsWith(number)) return "no run " + runId + "; run " + m.group(1) + " is " + r.runId();
      }
      return "no run " + runId + " among those kept: the generator keeps the last " + KEPT_RUNS + " of its " + started
          + " runs (and older ones with a registered candidate, " + KEPT_RUNS_AT_MOST + " in all); run " + m.group(1)
          + " is older, its events are in the journal (persistence id " + PERSISTENCE_ID + ")";
    }

    private static String runId(Event e) {
      if (e instanceof RunCancelRequested c) return c.runId();
      if (e instanceof RunResumed r) return r.runId();
      if (e instanceof RunCheckpointed c) return c.runId();
      if (e instanceof RunFinished f) return f.runId();
      if (e instanceof RunFailed f) return f.runId();
      if (e instanceof RunInterrupted i) return i.runId();
      if (e instanceof CandidateRegistered c) return c.runId();
      throw new IllegalArgumentException("unknown event " + e);
    }
  }

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "strategy-generator"));
  }

  /** @param registry where kept candidates are registered (null: only reported) */
  public static Behavior<Command> create(Settings settings, ActorRef<StrategyRegistry.Command> registry) {
    return create(settings, registry, Duration.ofSeconds(10));
  }

  /** @param registryTimeout how long to wait for the registry's answer, and then before trying again */
  static Behavior<Command> create(Settings settings, ActorRef<StrategyRegistry.Command> registry, Duration registryTimeout) {
    return create(settings, registry, registryTimeout, CHECKPOINT_EVERY);
  }

  /** @param checkpointEvery how often a run in flight journals a checkpoint */
  static Behavior<Command> create(Settings settings, ActorRef<StrategyRegistry.Command> registry, Duration registryTimeout,
      Duration checkpointEvery) {
    // The cancel flags outlive a restart of the actor: a run it no longer owns is stopped through them.
    Map<String, AtomicBoolean> cancel = new ConcurrentHashMap<>();
    return Behaviors.setup(ctx -> new StrategyGenerator(ctx, settings, registry, registryTimeout, checkpointEvery, cancel));
  }

  private final ActorContext<Command> ctx;
  private final Settings settings;
  private final ActorRef<StrategyRegistry.Command> registry;
  private final Duration registryTimeout;
  private final Duration checkpointEvery;
  private final Map<String, AtomicBoolean> cancel;
  /** The running run's latest progress and training bars (bar-steps per evaluation; not journaled). */
  private final Map<String, Evolver.Progress> live = new HashMap<>();
  private final Map<String, Integer> barsPerRun = new HashMap<>();

  private StrategyGenerator(ActorContext<Command> ctx, Settings settings, ActorRef<StrategyRegistry.Command> registry,
      Duration registryTimeout, Duration checkpointEvery, Map<String, AtomicBoolean> cancel) {
    super(PersistenceId.ofUniqueId(PERSISTENCE_ID),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.settings = settings;
    this.registry = registry;
    this.registryTimeout = registryTimeout;
    this.checkpointEvery = checkpointEvery;
    this.cancel = cancel;
  }

  /** At most {@link com.quantumtrader.common.StashLimit#CAPACITY} commands held while recovering or persisting (see there). */
  @Override
  public java.util.Optional<Integer> stashCapacity() {
    return com.quantumtrader.common.StashLimit.capacity();
  }

  @Override
  public State emptyState() {
    return new State(0, List.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  /**
   * A snapshot at each checkpoint too: recovery then reads the latest checkpoint from it instead of
   * replaying the checkpoints since the last snapshot (up to 99, of up to a few MB each for a large
   * population). The snapshots taken so are deleted with the older ones at the next of every 100.
   */
  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return event instanceof RunCheckpointed;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          List<String> running = new ArrayList<>(), unregistered = new ArrayList<>();
          for (RunStatus r : s.runs()) {
            if (r.state().equals("RUNNING")) running.add(r.runId());
            if (r.candidates().stream().anyMatch(c -> c.kept() && c.registered() == null)) unregistered.add(r.runId());
          }
          if (!running.isEmpty() || !unregistered.isEmpty()) ctx.getSelf().tell(new AfterRecovery(running, unregistered));
        })
        .onSignal(PostStop.instance(), s -> cancel.values().forEach(f -> f.set(true)))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(StartRun.class, this::start)
        .onCommand(GetRun.class, (s, m) -> {
          RunStatus r = s.get(m.runId());
          return Effect().reply(m.replyTo(), r != null ? view(r) : new RunRefused("not_found", s.notFound(m.runId())));
        })
        .onCommand(ListRuns.class, (s, m) -> Effect().reply(m.replyTo(), new Runs(s.runs().stream().map(this::view).toList())))
        .onCommand(CancelRun.class, this::cancelRun)
        .onCommand(Progressed.class, this::progressed)
        // journaled for the attempt under way only (one of an attempt stopped is not gone on from)
        .onCommand(Checkpointed.class, (s, m) -> current(s, m.runId(), m.attempt()) == null ? Effect().none().thenNoReply()
            : Effect().persist(new RunCheckpointed(m.runId(), m.attempt(), m.checkpoint())).thenNoReply())
        .onCommand(Finished.class, this::finished)
        // the first outcome stands: a second registration of the same candidate (one started again
        // after a restart of this actor while an earlier one was still retrying) is not journaled
        .onCommand(Registered.class, (s, m) -> hasOutcome(s, m.runId(), m.specId()) ? Effect().none().thenNoReply()
            : Effect().persist(new CandidateRegistered(m.runId(), m.specId(), m.outcome())).thenNoReply())
        .onCommand(RegistrationFailed.class, (s, m) -> {
          if (hasOutcome(s, m.runId(), m.candidate().spec().id())) return Effect().none().thenNoReply();
          if (m.attempt() < REGISTRATION_ATTEMPTS) {
            ctx.getLog().warn("SG AI: candidate {} of {}: the registry did not answer ({}); trying again in {}", m.candidate().spec().id(),
                m.runId(), m.error(), registryTimeout);
            ctx.scheduleOnce(registryTimeout, ctx.getSelf(), new Retry(m.runId(), m.candidate(), m.attempt() + 1));
            return Effect().none().thenNoReply();
          }
          // Journaled, so that the operator sees it (strategies shadow ID starts the period by hand)
          return Effect().persist(new CandidateRegistered(m.runId(), m.candidate().spec().id(), "not registered or not in SHADOW: the"
              + " registry did not answer in " + REGISTRATION_ATTEMPTS + " attempts (" + m.error() + ")")).thenNoReply();
        })
        .onCommand(Retry.class, (s, m) -> {
          register(m.runId(), m.candidate(), m.attempt());
          return Effect().none().thenNoReply();
        })
        .onCommand(AfterRecovery.class, this::afterRecovery)
        .build();
  }

  /** Whether the run is gone or the candidate already has a journaled registration outcome. */
  private static boolean hasOutcome(State s, String runId, String specId) {
    RunStatus r = s.get(runId);
    return r == null || r.candidates().stream().anyMatch(c -> c.spec().id().equals(specId) && c.registered() != null);
  }

  /** The status with the live progress of a run in flight. */
  private RunStatus view(RunStatus r) {
    Evolver.Progress p = live.get(r.runId());
    if (p == null || !r.state().equals("RUNNING")) return r;
    return r.with(r.state(), p, p.evaluationsPerSecond() * barsPerRun.getOrDefault(r.runId(), 0), r.candidates(), r.error());
  }

  private ReplyEffect<Event, State> start(State state, StartRun m) {
    // the request is checked first, so that one that could never run says why even while another runs
    for (String[] f : new String[][] {{"symbol", m.symbol()}, {"interval", m.interval()}}) {
      if (f[1] != null && f[1].isBlank()) {
        return Effect().reply(m.replyTo(), new RunRefused("invalid", f[0] + " is empty: name one or leave it out"));
      }
    }
    if (m.template() == null) {
      return Effect().reply(m.replyTo(), new RunRefused("invalid", "a template is required (" + java.util.Arrays.toString(Template.values()) + ")"));
    }
    int pop = m.population() != null ? m.population() : settings.population();
    int gens = m.generations() != null ? m.generations() : settings.generations();
    if (pop < 2 || pop > Evolver.MAX_POPULATION) {
      return Effect().reply(m.replyTo(), new RunRefused("invalid", "population must be from 2 to " + Evolver.MAX_POPULATION + ", got " + pop
          + (m.population() == null ? " (the node's QT_SG_POPULATION_SIZE)" : "")));
    }
    if (gens < 1 || gens > Evolver.MAX_GENERATIONS) {
      return Effect().reply(m.replyTo(), new RunRefused("invalid", "generations must be from 1 to " + Evolver.MAX_GENERATIONS + ", got " + gens
          + (m.generations() == null ? " (the node's QT_SG_GENERATIONS)" : "")));
    }
    // from the clock when not given: milliseconds, exact in any JSON client (below 2^53)
    long seed = m.seed() != null ? m.seed() : System.currentTimeMillis();
    // Only the choice of the series is checked here, by file name; the candles are read on the
    // driver's thread (a failure there ends the run FAILED), not on this actor's.
    String data;
    RunSource source;
    if (m.data() == null || m.data().isBlank()) {
      if (m.symbol() != null || m.interval() != null) {
        return Effect().reply(m.replyTo(), new RunRefused("invalid", "this node has no candle data (it runs the synthetic market):"
            + " a symbol or interval cannot be chosen; leave both out to evolve on the synthetic market"));
      }
      data = "synthetic (" + settings.syntheticBars() + " hourly bars, seed " + seed + ")";
      source = new RunSource(null, null, null, settings.syntheticBars(), null);
    } else {
      List<CsvBarFile.Name> series;
      try {
        // what the data holds is listed in the intervals the run can use (the node's own when none is named)
        series = BarArrays.select(Path.of(m.data()), m.symbol(), m.interval(),
            m.interval() != null ? List.of(m.interval().trim()) : settings.dataIntervals());
      } catch (RuntimeException e) { // a bad path, a listing that fails, nothing that matches: each with its message
        return Effect().reply(m.replyTo(), new RunRefused("invalid", e.getMessage()));
      }
      if (m.interval() == null && !settings.dataIntervals().isEmpty()) { // the node's own choice (QT_MARKET_INTERVAL)
        List<CsvBarFile.Name> chosen = series.stream().filter(n -> settings.dataIntervals().contains(n.interval())).toList();
        if (chosen.isEmpty()) {
          String has = String.join(", ", series.stream().map(CsvBarFile.Name::interval).distinct().toList());
          return Effect().reply(m.replyTo(), new RunRefused("invalid", (m.symbol() == null ? "the data" : m.symbol().trim().toUpperCase(
              java.util.Locale.ROOT)) + " has candles of " + has + " only, not of the node's interval " + String.join(", ",
              settings.dataIntervals()) + " (QT_MARKET_INTERVAL): name the interval to evolve on (e.g. interval " + series.get(0).interval()
              + ")"));
        }
        series = chosen;
      }
      if (series.size() > 1) {
        boolean symbols = series.stream().map(CsvBarFile.Name::symbol).distinct().count() > 1;
        boolean intervals = series.stream().map(CsvBarFile.Name::interval).distinct().count() > 1;
        return Effect().reply(m.replyTo(), new RunRefused("invalid", m.data() + " has several series " + series + ": name one with "
            + (symbols && intervals ? "symbol and interval (sg start --symbol S --interval I)" : symbols ? "symbol (sg start --symbol S)"
                : "interval (sg start --interval I)")));
      }
      data = m.data() + " " + series.get(0);
      CsvBarFile.Name chosen = series.get(0);
      String stamp;
      try {
        stamp = CsvFolderFeed.stamp(Path.of(m.data()), chosen::equals);
      } catch (RuntimeException e) {
        return Effect().reply(m.replyTo(), new RunRefused("invalid", e.getMessage()));
      }
      source = new RunSource(m.data(), chosen.symbol(), chosen.interval(), 0, stamp);
    }
    RunStatus busy = state.running();
    if (busy != null) {
      return Effect().reply(m.replyTo(), new RunRefused("busy", "run " + busy.runId() + " is still running; cancel it or wait"));
    }
    String id = "run-" + (state.started() + 1) + "-" + m.template().name().toLowerCase(java.util.Locale.ROOT);
    RunStarted started = new RunStarted(id, m.template(), data, pop, gens, seed, m.by(), Instant.now(), source);
    String unjournalable = Journalable.refusal(ctx.getSystem(), started, ctx.getLog(), "sg-ai", m.by());
    if (unjournalable != null) return Effect().reply(m.replyTo(), new RunRefused("invalid", unjournalable));
    return Effect().persist(started)
        .thenRun(s -> {
          ctx.getLog().info("sg-ai: run {} started by {}: {} on {}, population {}, {} generations, seed {}", id, m.by(), m.template(),
              data, pop, gens, seed);
          launch(s.get(id), null);
        })
        .thenReply(m.replyTo(), s -> view(s.get(id)));
  }

  /**
   * Reads the run's candles (or draws the synthetic market with its seed) and runs it, on the
   * driver; its reports carry the run's {@code resumes}, so that those of an earlier attempt are
   * dropped.
   */
  private void launch(RunStatus r, Evolver.Checkpoint from) {
    RunSource src = r.source();
    Generator.Settings gs = Generator.defaults(r.population(), r.generations(), r.seed(), settings.minConfidence());
    AtomicBoolean cancelled = new AtomicBoolean();
    String id = r.runId();
    int attempt = r.resumes();
    cancel.put(id, cancelled);
    Executor evaluations = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
    Executor driver = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    var self = ctx.getSelf();
    CompletableFuture.runAsync(() -> {
      try {
        BarArrays bars;
        String skipped = null;
        if (src.path() == null) {
          bars = synthetic(src.syntheticBars(), r.seed());
        } else {
          com.quantumtrader.market.RejectCounts rejects = new com.quantumtrader.market.RejectCounts();
          List<BarArrays> loaded = BarArrays.load(Path.of(src.path()), src::selects, rejects);
          skipped = rejects.summary();
          if (skipped != null) org.slf4j.LoggerFactory.getLogger(StrategyGenerator.class).warn("sg-ai: run {} on {}: {}", id, src.path(), skipped);
          if (loaded.isEmpty()) {
            throw new IllegalArgumentException("no valid candles of " + src.symbol() + " " + src.interval() + " in " + src.path());
          }
          bars = loaded.get(0);
        }
        int trainBars = WalkForward.split(bars, gs.trainFraction()).train().size();
        Evolver.Result result = Generator.run(r.template(), bars, gs, evaluations,
            p -> self.tell(new Progressed(id, attempt, p, trainBars)), cancelled::get,
            new Evolver.Checkpointing(from, checkpointInterval(checkpointEvery, r.population(), r.template().params().size()).toNanos(),
                c -> self.tell(new Checkpointed(id, attempt, c))));
        self.tell(new Finished(id, attempt, result, Generator.figures(result, bars, gs), skipped, null));
      } catch (RuntimeException e) {
        self.tell(new Finished(id, attempt, null, null, null, e));
      } finally {
        cancel.remove(id, cancelled); // not a later attempt's flag
      }
    }, driver);
  }

  private ReplyEffect<Event, State> cancelRun(State state, CancelRun m) {
    RunStatus s = state.get(m.runId());
    if (s == null) return Effect().reply(m.replyTo(), new RunRefused("not_found", state.notFound(m.runId())));
    if (!s.state().equals("RUNNING")) return Effect().reply(m.replyTo(), new RunRefused("invalid", "run " + m.runId() + " is " + s.state()));
    if (s.cancelledBy() != null) return Effect().reply(m.replyTo(), view(s)); // asked already; it is stopping
    RunCancelRequested requested = new RunCancelRequested(m.runId(), m.by());
    String unjournalable = Journalable.refusal(ctx.getSystem(), requested, ctx.getLog(), "sg-ai", m.by());
    if (unjournalable != null) return Effect().reply(m.replyTo(), new RunRefused("invalid", unjournalable));
    return Effect().persist(requested)
        .thenRun(st -> {
          AtomicBoolean flag = cancel.get(m.runId());
          if (flag != null) flag.set(true);
          ctx.getLog().info("sg-ai: run {} cancelled by {}", m.runId(), m.by());
        })
        .thenReply(m.replyTo(), st -> view(st.get(m.runId())));
  }

  /** The run {@code runId}, if it is running the attempt {@code attempt} (else a report of an earlier one). */
  static RunStatus current(State state, String runId, int attempt) {
    RunStatus s = state.get(runId);
    return s != null && s.state().equals("RUNNING") && s.resumes() == attempt ? s : null;
  }

  private ReplyEffect<Event, State> progressed(State state, Progressed m) {
    if (current(state, m.runId(), m.attempt()) == null) return Effect().none().thenNoReply();
    live.put(m.runId(), m.progress());
    barsPerRun.put(m.runId(), m.trainBars());
    Evolver.Progress p = m.progress();
    if (p.underWay() == 0 && p.generation() > 0 && (p.generation() % 10 == 0 || p.generation() == p.generations())) {
      ctx.getLog().info("sg-ai: run {} generation {}/{}: best fitness {}, median {}, {} evaluations/s, {} bar-steps/s", m.runId(),
          p.generation(), p.generations(), String.format("%.3f", p.bestFitness()), String.format("%.3f", p.medianFitness()),
          String.format("%,.0f", p.evaluationsPerSecond()),
          String.format("%,.0f", p.evaluationsPerSecond() * barsPerRun.getOrDefault(m.runId(), 0)));
    }
    return Effect().none().thenNoReply();
  }

  private ReplyEffect<Event, State> finished(State state, Finished m) {
    // an attempt the actor stopped or interrupted meanwhile
    RunStatus s = current(state, m.runId(), m.attempt());
    if (s == null) return Effect().none().thenNoReply();
    Evolver.Progress p = live.remove(m.runId());
    Integer bars = barsPerRun.remove(m.runId());
    double barSteps = p == null || bars == null ? 0 : p.evaluationsPerSecond() * bars;
    if (m.failure() != null) {
      String error = String.valueOf(m.failure().getMessage())
          + (s.resumes() > 0 ? " (on resuming it; start it again with seed " + s.seed() + " to repeat it)" : "");
      ctx.getLog().error("sg-ai: run {} failed: {}", m.runId(), error);
      return Effect().persist(new RunFailed(m.runId(), p, error)).thenNoReply();
    }
    Evolver.Result r = m.result();
    List<CandidateView> cs = new ArrayList<>();
    for (int i = 0; i < r.candidates().size(); i++) {
      Evolver.Candidate c = r.candidates().get(i);
      BacktestResult.Summary[] f = m.figures().get(i);
      StrategySpec spec = new StrategySpec(m.runId() + "-" + i, c.spec().template(), c.spec().params());
      cs.add(new CandidateView(spec, c.trainFitness(), c.testFitness(), c.kept(), c.verdict(), f[0], f[1], null));
    }
    String finalState = r.cancelled() ? "CANCELLED" : "DONE";
    return Effect().persist(new RunFinished(m.runId(), finalState, p, barSteps, cs, m.rowsLeftOut()))
        .thenRun(st -> {
          ctx.getLog().info("sg-ai: run {} {} after {} generations, {} evaluations in {} s: {} of {} candidates hold up out of sample",
              m.runId(), st.get(m.runId()).state().toLowerCase(java.util.Locale.ROOT), r.generations(), r.evaluations(), String.format("%.1f", r.seconds()),
              r.kept().size(), r.candidates().size());
          for (CandidateView c : cs) if (c.kept()) register(m.runId(), c);
        })
        .thenNoReply();
  }

  /**
   * Registers a kept candidate and starts its shadow period; the outcome is journaled once the
   * registry has answered both (a registry that does not answer is asked again, {@link
   * #REGISTRATION_ATTEMPTS} times). Also after a restart, for those whose outcome had not been
   * journaled: the registry may have it already.
   */
  private void register(String runId, CandidateView c) {
    register(runId, c, 1);
  }

  private void register(String runId, CandidateView c, int attempt) {
    if (registry == null) return;
    StrategySpec spec = c.spec();
    StrategyRegistry.BacktestSummary summary = new StrategyRegistry.BacktestSummary(record(c.inSample()), record(c.outOfSample()));
    akka.actor.typed.Scheduler scheduler = ctx.getSystem().scheduler();
    java.util.concurrent.CompletionStage<String> outcome = akka.actor.typed.javadsl.AskPattern.<StrategyRegistry.Command,
        StrategyRegistry.Reply>ask(registry, rt -> new StrategyRegistry.Register(spec, "SG_AI", summary, rt), registryTimeout, scheduler)
        .thenCompose(reply -> {
          if (reply instanceof StrategyRegistry.Accepted) return startShadow(runId, spec, scheduler);
          boolean taken = reply instanceof StrategyRegistry.Rejected rj && rj.code() == StrategyRegistry.RejectionCode.ALREADY_REGISTERED;
          if (!taken) return CompletableFuture.completedFuture("not registered: " + ((StrategyRegistry.Rejected) reply).message());
          // The id is taken: by this candidate, registered before a restart or before an attempt whose shadow
          // start was not answered; or by another strategy (an operator's, say), which must not be touched.
          return akka.actor.typed.javadsl.AskPattern.<StrategyRegistry.Command, StrategyRegistry.Reply>ask(registry,
              rt -> new StrategyRegistry.Get(spec.id(), rt), registryTimeout, scheduler)
              .thenCompose(got -> {
                if (!(got instanceof StrategyRegistry.Accepted a)) {
                  return CompletableFuture.completedFuture("not registered: " + ((StrategyRegistry.Rejected) got).message());
                }
                StrategyRegistry.StrategyInfo there = a.strategy();
                if (!there.spec().equals(spec) || !"SG_AI".equals(there.origin())) {
                  return CompletableFuture.completedFuture("not registered: the id " + spec.id() + " is taken by another strategy ("
                      + there.spec().template() + (there.spec().template() != spec.template() ? "" : there.spec().equals(spec) ? " with the same parameters" : " with other parameters")
                      + ", registered by " + there.origin() + ", " + there.state() + ")");
                }
                // this candidate: into its shadow period unless it has moved on since (shadow started, or an operator moved it)
                if (there.state() == StrategyRegistry.Lifecycle.CANDIDATE) return startShadow(runId, spec, scheduler);
                return CompletableFuture.completedFuture("registered (" + there.state() + ")");
              });
        });
    ctx.pipeToSelf(outcome, (o, err) -> err == null ? new Registered(runId, spec.id(), o)
        : new RegistrationFailed(runId, c, attempt, String.valueOf(err.getMessage())));
  }

  /** Straight into its shadow period: it trades there on its own book before any promotion. */
  private java.util.concurrent.CompletionStage<String> startShadow(String runId, StrategySpec spec, akka.actor.typed.Scheduler scheduler) {
    return akka.actor.typed.javadsl.AskPattern.<StrategyRegistry.Command, StrategyRegistry.Reply>ask(registry,
        rt -> new StrategyRegistry.StartShadow(spec.id(), "SG_AI", "kept out of sample by " + runId, rt), registryTimeout, scheduler)
        .thenApply(shadow -> shadow instanceof StrategyRegistry.Accepted ? "registered, in SHADOW"
            // moved past CANDIDATE meanwhile (an operator moved it)
            : "registered (" + ((StrategyRegistry.Rejected) shadow).message() + ")");
  }

  private ReplyEffect<Event, State> afterRecovery(State state, AfterRecovery m) {
    for (String id : m.unregistered()) {
      RunStatus r = state.get(id);
      if (r == null) continue;
      for (CandidateView c : r.candidates()) if (c.kept() && c.registered() == null) register(id, c);
    }
    List<Event> events = new ArrayList<>();
    String resume = null; // at most one run is RUNNING
    Evolver.Checkpoint resumeFrom = null; // its checkpoint, if it can be gone on from
    for (String id : m.running()) {
      RunStatus r = state.get(id);
      if (r == null || !r.state().equals("RUNNING")) continue; // it finished meanwhile (a late Finished from before)
      AtomicBoolean flag = cancel.get(id);
      if (flag != null) flag.set(true); // still computing for an earlier incarnation of this actor: stop it
      String stopped = "the strategy generator stopped during the run (a restart of it or of its node, or a fail-over)";
      if (r.cancelledBy() != null) {
        events.add(new RunInterrupted(id,
            "cancelled by " + r.cancelledBy() + "; the strategy generator stopped before the run ended, so it has no candidates"));
        continue;
      }
      String notResumed = !settings.resumeInterrupted() ? ""
          : r.source() == null ? " (journaled without its source: not resumed)"
          : r.resumes() >= MAX_RESUMES ? " (again, after " + r.resumes() + " resume" + (r.resumes() == 1 ? "" : "s") + ": not resumed)"
          : changed(r.source());
      if (settings.resumeInterrupted() && notResumed == null && resume == null) {
        resume = id;
        Evolver.Checkpoint c = state.checkpoint(id);
        // one this version cannot go on from (a template's parameters changed since): from the start
        String unusable = c == null ? null : Evolver.notResumable(c, r.template(), r.population(), r.generations());
        resumeFrom = unusable == null ? c : null;
        events.add(new RunResumed(id, r.resumes() + 1, stopped + "; started again " + (c == null ? "from its first generation"
            : unusable != null ? "from its first generation (its checkpoint cannot be gone on from: " + unusable + ")"
            : "after generation " + c.generation() + " of " + r.generations() + " (its last checkpoint)") + " with seed " + r.seed()
            + ": it ends as the run never stopped would have"));
      } else {
        events.add(new RunInterrupted(id, "interrupted: " + stopped + (notResumed == null ? "" : notResumed) + "; start it again with seed "
            + r.seed() + " to repeat it"));
      }
    }
    if (events.isEmpty()) return Effect().none().thenNoReply();
    String resumed = resume;
    Evolver.Checkpoint from = resumeFrom;
    return Effect().persist(events)
        .thenRun(s -> {
          for (Event e : events) {
            if (e instanceof RunInterrupted i) ctx.getLog().warn("sg-ai: run {}: {}", i.runId(), i.reason());
            if (e instanceof RunResumed r) ctx.getLog().warn("sg-ai: run {} resumed (attempt {}): {}", r.runId(), r.attempt(), r.reason());
          }
          if (resumed != null) {
            live.remove(resumed); // an earlier attempt's, reported before this recovery
            barsPerRun.remove(resumed);
            launch(s.get(resumed), from);
          }
        })
        .thenNoReply();
  }

  /** Why the run's candle files are not those it started on, or null if they are (or it has none). */
  private static String changed(RunSource src) {
    if (src.path() == null) return null;
    try {
      String now = CsvFolderFeed.stamp(Path.of(src.path()), src::selects);
      return now.equals(src.stamp()) ? null
          : " (its candles changed since it started: " + (now.isEmpty() ? "no " + src.symbol() + " " + src.interval() + " file" : now)
              + " against " + src.stamp() + "; not resumed)";
    } catch (RuntimeException e) {
      return " (its candles cannot be read: " + e.getMessage() + "; not resumed)";
    }
  }

  /** A backtest window's figures as a track record. */
  static TrackRecord record(BacktestResult.Summary s) {
    return new TrackRecord(s.tradeCount(), s.days(), s.totalReturn(), s.sharpe(), s.maxDrawdown(), s.profitFactor());
  }

  /** A seeded synthetic market's first symbol, {@code n} hourly bars. */
  static BarArrays synthetic(int n, long seed) {
    SyntheticMarket m = new SyntheticMarket(seed, 1, "1h", 1_704_067_200_000L, n);
    List<Bar> bars = new ArrayList<>(n);
    for (Bar b; (b = m.next()) != null; ) bars.add(b);
    return BarArrays.of(bars);
  }
}
