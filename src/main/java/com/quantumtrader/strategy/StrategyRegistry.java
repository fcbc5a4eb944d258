package com.quantumtrader.strategy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
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
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Journalable;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.strategy.LifecycleRules.Action;
import com.quantumtrader.strategy.LifecycleRules.Decision;
import com.quantumtrader.strategy.LifecycleRules.Incumbent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * The strategy instances of the fund and their lifecycle, event-sourced: its journal is every
 * strategy's history. One per cluster (a cluster singleton).
 *
 * <pre>
 * CANDIDATE -> SHADOW -> LIVE -> DEMOTED -> SHADOW (again) ...
 *     any state but RETIRED -> RETIRED (final)
 * </pre>
 *
 * <p>A new strategy (from SG AI, an operator, ...) is registered as CANDIDATE; in SHADOW its signals
 * are traded on a shadow paper book by whoever runs it, which reports its track record here. Every
 * evaluation interval (or on {@link Evaluate}) the {@link LifecycleRules} demote LIVE strategies whose
 * live record crossed the limits, then promote SHADOW strategies that meet the thresholds, are
 * permitted by the current policy (asked of the Policy Store each time) and beat the LIVE strategy of
 * their template, which they replace (it is demoted). Operators may promote, demote and retire by
 * hand; a strategy the policy does not permit is never promoted, by either. Every promotion, demotion
 * and retirement is published as {@code strategy.promoted}.
 *
 * <p>At every start, the configured strategies the registry does not know yet (all of them on a new
 * registry) are registered LIVE, origin {@code config}, so that the orchestrator trades what it traded
 * before the registry existed; the ones it knows keep their state.
 */
public final class StrategyRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<StrategyRegistry.Command, StrategyRegistry.Event,
        StrategyRegistry.State> {

  public static final String PERSISTENCE_ID = "strategy-registry";
  public static final String TAG = "strategies";
  /** The bus source of {@code strategy.promoted}, and who makes the automatic transitions. */
  public static final String SOURCE = "strategy-registry";
  public static final String ORIGIN_CONFIG = "config";

  public enum Lifecycle {
    CANDIDATE,
    SHADOW,
    LIVE,
    DEMOTED,
    RETIRED
  }

  /** Which book a track record comes from. */
  public enum Book {
    SHADOW,
    LIVE
  }

  // ---------------------------------------------------------------------------------------------
  // Protocol

  public sealed interface Command extends CborSerializable {}

  /**
   * A new strategy, as CANDIDATE.
   *
   * @param origin who made it: {@code SG_AI}, an operator's name, ...
   * @param backtest its in- and out-of-sample figures (null when there are none)
   * @param reason why, kept in its history (null: "registered by" the origin)
   */
  public record Register(StrategySpec spec, String origin, BacktestSummary backtest, String reason, ActorRef<Reply> replyTo)
      implements Command {
    public Register(StrategySpec spec, String origin, BacktestSummary backtest, ActorRef<Reply> replyTo) {
      this(spec, origin, backtest, null, replyTo);
    }
  }

  /** CANDIDATE or DEMOTED to SHADOW: a new shadow period starts (an earlier shadow record is dropped). */
  public record StartShadow(String strategyId, String by, String reason, ActorRef<Reply> replyTo) implements Command {}

  /**
   * The latest record of a SHADOW strategy's shadow book, or of a LIVE strategy's book since its
   * promotion, with the book's figures ({@code state}, null when there are none) from which the book
   * is resumed, open positions included, if the orchestrator that keeps it restarts. A report that
   * changes neither the number of trades, nor the drawdown, nor the open positions and orders, nor the
   * peak of the marked equity (from which a resumed book measures its drawdown), nor the days covered
   * by an hour or more is answered with the record already kept, and not journaled (the books report
   * every minute).
   */
  public record ReportTrackRecord(String strategyId, Book book, TrackRecord record, ShadowBook.State state,
      ActorRef<Reply> replyTo) implements Command {}

  /** Applies the lifecycle rules to every SHADOW and LIVE strategy now (the timer does it every interval). */
  public record Evaluate(ActorRef<Evaluation> replyTo) implements Command {}

  /** An operator's promotion SHADOW to LIVE: no thresholds, but the policy must permit the strategy. */
  public record Promote(String strategyId, String by, String reason, ActorRef<Reply> replyTo) implements Command {}

  /** An operator's demotion LIVE to DEMOTED. */
  public record Demote(String strategyId, String by, String reason, ActorRef<Reply> replyTo) implements Command {}

  /** Any state but RETIRED to RETIRED, for good. */
  public record Retire(String strategyId, String by, String reason, ActorRef<Reply> replyTo) implements Command {}

  public record Get(String strategyId, ActorRef<Reply> replyTo) implements Command {}

  /** Every strategy, or those in one state ({@code state} null: all). */
  public record ListStrategies(Lifecycle state, ActorRef<Strategies> replyTo) implements Command {}

  /** The LIVE strategies: what the orchestrator trades. */
  public record Live(ActorRef<LiveStrategies> replyTo) implements Command {}

  /** Stops the registry (sent by the singleton manager on hand-over). */
  public enum Stop implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private enum Seed implements Command {
    INSTANCE
  }

  private record PromoteChecked(Promote command, PolicyStore.PolicyView policy) implements Command {}

  private record EvaluateChecked(PolicyStore.PolicyView policy, String error) implements Command {}

  public sealed interface Reply extends CborSerializable {}

  /** Done (or, for {@link Get}, found): the strategy as it is now. */
  public record Accepted(StrategyInfo strategy) implements Reply {}

  public enum RejectionCode {
    /** A missing or malformed field. */
    INVALID,
    NOT_FOUND,
    ALREADY_REGISTERED,
    /** The strategy's state does not allow this transition (or this track record). */
    ILLEGAL_TRANSITION,
    /** The policy blocks the strategy, or it is not on the allow list, or no policy is known. */
    NOT_PERMITTED
  }

  public record Rejected(RejectionCode code, String message) implements Reply {}

  /**
   * The strategies, with what the latest evaluation said of those it judged ({@code assessments} by
   * id: SHADOW and LIVE ones still in the state they were judged in).
   */
  public record Strategies(List<StrategyInfo> strategies, Map<String, Assessment> assessments) implements CborSerializable {
    public Strategies {
      strategies = List.copyOf(strategies);
      // null from a node of an earlier version, which sends no assessments
      assessments = assessments == null ? Map.of() : Map.copyOf(assessments);
    }

    public Strategies(List<StrategyInfo> strategies) {
      this(strategies, Map.of());
    }
  }

  /**
   * What the latest evaluation said of a strategy: whether it goes live (SHADOW) or is demoted (LIVE),
   * and why; for a SHADOW strategy that stays, every condition it misses. Worked out again at every
   * evaluation from the journaled records and the policy, so it is kept in memory only (none until
   * the registry's first evaluation after it started).
   *
   * @param policyVersion the policy it was judged under (-1: none known)
   */
  public record Assessment(Lifecycle state, Action action, List<String> reasons, Instant at, long policyVersion)
      implements CborSerializable {
    public Assessment {
      reasons = List.copyOf(reasons);
    }
  }

  public record LiveStrategies(List<StrategySpec> strategies) implements CborSerializable {
    public List<String> ids() {
      return strategies.stream().map(StrategySpec::id).toList();
    }
  }

  /** What one evaluation decided for each SHADOW and LIVE strategy, under policy version {@code policyVersion} (-1: none known). */
  public record Evaluation(long policyVersion, List<Verdict> verdicts) implements CborSerializable {
    public Verdict of(String strategyId) {
      return verdicts.stream().filter(v -> v.strategyId().equals(strategyId)).findFirst().orElse(null);
    }
  }

  public record Verdict(String strategyId, Lifecycle state, Action action, List<String> reasons) implements CborSerializable {}

  // ---------------------------------------------------------------------------------------------
  // The model

  public record BacktestSummary(TrackRecord inSample, TrackRecord outOfSample) implements CborSerializable {}

  /** One step of a strategy's history ({@code from} null for its registration). */
  public record Transition(Lifecycle from, Lifecycle to, String by, String reason, Instant at) implements CborSerializable {}

  /**
   * A strategy instance.
   *
   * @param shadow its latest shadow record (of the current or last shadow period)
   * @param live its latest live record (of the current or last live period)
   * @param book the figures of the current period's book (SHADOW or LIVE) as last reported; null
   *     before its first report and after every transition
   */
  public record StrategyInfo(StrategySpec spec, Lifecycle state, String origin, BacktestSummary backtest,
      TrackRecord shadow, TrackRecord live, ShadowBook.State book, List<Transition> history) implements CborSerializable {
    public StrategyInfo {
      history = List.copyOf(history);
    }

    public String id() {
      return spec.id();
    }

    /** When the current period (the latest transition) began; null without a history. */
    public Instant since() {
      return history.isEmpty() ? null : history.get(history.size() - 1).at();
    }

    StrategyInfo moved(Lifecycle to, String by, String reason, Instant at, TrackRecord newShadow, TrackRecord newLive) {
      List<Transition> h = new ArrayList<>(history);
      h.add(new Transition(state, to, by, reason, at));
      return new StrategyInfo(spec, to, origin, backtest, newShadow, newLive, null, h);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events: facts in the past tense, never changed in meaning once persisted.

  public sealed interface Event extends CborSerializable {
    String strategyId();
  }

  /** A strategy entered the registry in {@code state} (CANDIDATE, or LIVE for configured ones). */
  public record StrategyRegistered(StrategySpec spec, Lifecycle state, String origin, BacktestSummary backtest,
      String reason, Instant at) implements Event {
    public String strategyId() {
      return spec.id();
    }
  }

  public record ShadowStarted(String strategyId, Lifecycle from, String by, String reason, Instant at) implements Event {}

  /** @param state the book's figures (null in events journaled before they were reported) */
  public record TrackRecordReported(String strategyId, Book book, TrackRecord record, ShadowBook.State state, Instant at)
      implements Event {}

  /** SHADOW to LIVE. */
  public record StrategyPromoted(String strategyId, Lifecycle from, String by, List<String> reasons, Instant at)
      implements Event {}

  /** LIVE to DEMOTED. */
  public record StrategyDemoted(String strategyId, Lifecycle from, String by, List<String> reasons, Instant at)
      implements Event {}

  public record StrategyRetired(String strategyId, Lifecycle from, String by, List<String> reasons, Instant at)
      implements Event {}

  // ---------------------------------------------------------------------------------------------
  // State

  public record State(SortedMap<String, StrategyInfo> strategies) implements CborSerializable {
    public State {
      strategies = Collections.unmodifiableSortedMap(strategies == null ? new TreeMap<>() : new TreeMap<>(strategies));
    }

    StrategyInfo get(String id) {
      return id == null ? null : strategies.get(id);
    }

    State apply(Event e) {
      TreeMap<String, StrategyInfo> m = new TreeMap<>(strategies);
      StrategyInfo s = m.get(e.strategyId());
      StrategyInfo next;
      if (e instanceof StrategyRegistered r) {
        next = new StrategyInfo(r.spec(), r.state(), r.origin(), r.backtest(), null, null, null,
            List.of(new Transition(null, r.state(), r.origin(), r.reason(), r.at())));
      } else if (e instanceof ShadowStarted x) {
        next = s.moved(Lifecycle.SHADOW, x.by(), x.reason(), x.at(), null, s.live());
      } else if (e instanceof TrackRecordReported t) {
        next = t.book() == Book.SHADOW
            ? new StrategyInfo(s.spec(), s.state(), s.origin(), s.backtest(), t.record(), s.live(), t.state(), s.history())
            : new StrategyInfo(s.spec(), s.state(), s.origin(), s.backtest(), s.shadow(), t.record(), t.state(), s.history());
      } else if (e instanceof StrategyPromoted p) {
        // A new live period: its decay is judged on its own live record, not the last period's.
        next = s.moved(Lifecycle.LIVE, p.by(), String.join("; ", p.reasons()), p.at(), s.shadow(), null);
      } else if (e instanceof StrategyDemoted d) {
        next = s.moved(Lifecycle.DEMOTED, d.by(), String.join("; ", d.reasons()), d.at(), s.shadow(), s.live());
      } else if (e instanceof StrategyRetired r) {
        next = s.moved(Lifecycle.RETIRED, r.by(), String.join("; ", r.reasons()), r.at(), s.shadow(), s.live());
      } else {
        throw new IllegalStateException("unknown strategy registry event " + e.getClass().getName());
      }
      m.put(next.id(), next);
      return new State(m);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Starts the cluster-wide singleton (once per node, from the guardian) and returns its proxy. */
  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(behavior, "strategy-registry").withStopMessage(Stop.INSTANCE));
  }

  /**
   * @param seeds registered as LIVE (origin {@code config}) at start when the registry does not know
   *     them yet (a known id keeps its state, e.g. DEMOTED)
   * @param policyStore asked for the policy at each evaluation and operator promotion (null: none runs,
   *     and nothing is promoted)
   * @param askTimeout how long to wait for the Policy Store
   */
  public static Behavior<Command> create(StrategyRegistrySettings settings, List<StrategySpec> seeds,
      ActorRef<PolicyStore.Command> policyStore, Duration askTimeout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new StrategyRegistry(ctx, timers, settings, List.copyOf(seeds), policyStore, askTimeout)));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final StrategyRegistrySettings settings;
  private final LifecycleRules rules;
  private final List<StrategySpec> seeds;
  private final ActorRef<PolicyStore.Command> policyStore;
  private final Duration askTimeout;
  private final EventBus bus;
  private final Logger log;
  /** Who waits for the evaluation in flight (there is at most one). */
  private final List<ActorRef<Evaluation>> evaluationWaiters = new ArrayList<>();
  private boolean evaluating;
  /** The latest evaluation's verdicts by strategy id, as {@link Strategies} shows them. */
  private Map<String, Judged> assessments = Map.of();

  /** A verdict with the length of the strategy's history when it was made: a move since makes it stale. */
  private record Judged(Assessment assessment, int moves) {}
  /** The conditions each SHADOW strategy missed at the latest evaluation: it is logged when they change. */
  private Map<String, List<String>> unmetLogged = Map.of();

  private StrategyRegistry(ActorContext<Command> ctx, TimerScheduler<Command> timers, StrategyRegistrySettings settings,
      List<StrategySpec> seeds, ActorRef<PolicyStore.Command> policyStore, Duration askTimeout) {
    super(PersistenceId.ofUniqueId(PERSISTENCE_ID),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.rules = new LifecycleRules(settings.lifecycle());
    this.seeds = seeds;
    this.policyStore = policyStore;
    this.askTimeout = askTimeout;
    this.bus = EventBus.get(ctx.getSystem());
    this.log = ctx.getLog();
  }

  /** At most {@link com.quantumtrader.common.StashLimit#CAPACITY} commands held while recovering or persisting (see there). */
  @Override
  public java.util.Optional<Integer> stashCapacity() {
    return com.quantumtrader.common.StashLimit.capacity();
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots only: the events are the history and are never deleted.
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // After a restart by the supervisor the evaluation in flight is lost; its waiters time out.
          evaluating = false;
          evaluationWaiters.clear();
          if (!s.strategies().isEmpty()) {
            Map<Lifecycle, Long> counts = new TreeMap<>();
            for (StrategyInfo i : s.strategies().values()) counts.merge(i.state(), 1L, Long::sum);
            log.info("strategy-registry: recovered {} strategies {}", s.strategies().size(), counts);
          }
          // Configured strategies the registry does not know yet (all of them on a new registry, or
          // ones added to the configuration since) are registered LIVE; known ones keep their state.
          long unknown = seeds.stream().filter(spec -> s.get(spec.id()) == null).count();
          if (unknown > 0) {
            log.info("strategy-registry: registering {} configured strategies as LIVE", unknown);
            ctx.getSelf().tell(Seed.INSTANCE);
          }
          // The first evaluation soon after a start, not a whole interval later: a registry restarted more
          // often than the interval would otherwise never evaluate (a decayed LIVE strategy never demoted).
          timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.firstDelay(), settings.evaluationInterval());
        })
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
        .onCommand(Register.class, this::onRegister)
        .onCommand(StartShadow.class, this::onStartShadow)
        .onCommand(ReportTrackRecord.class, this::onReport)
        .onCommand(Promote.class, this::onPromote)
        .onCommand(PromoteChecked.class, this::onPromoteChecked)
        .onCommand(Demote.class, this::onDemote)
        .onCommand(Retire.class, this::onRetire)
        .onCommand(Evaluate.class, (s, c) -> {
          if (c.replyTo() != null) evaluationWaiters.add(c.replyTo());
          startEvaluation();
          return Effect().noReply();
        })
        .onCommand(Tick.class, (s, c) -> {
          startEvaluation();
          return Effect().noReply();
        })
        .onCommand(EvaluateChecked.class, this::onEvaluateChecked)
        .onCommand(Get.class, (s, c) -> {
          StrategyInfo i = s.get(c.strategyId());
          return Effect().reply(c.replyTo(), i == null ? notFound(c.strategyId()) : new Accepted(i));
        })
        .onCommand(ListStrategies.class, (s, c) -> {
          List<StrategyInfo> list = s.strategies().values().stream().filter(i -> c.state() == null || i.state() == c.state()).toList();
          Map<String, Assessment> judged = new TreeMap<>();
          for (StrategyInfo i : list) {
            Judged j = assessments.get(i.id());
            // not once the strategy has moved since (by an operator, or by the evaluation itself), even
            // back to the state it was judged in
            if (j != null && j.moves() == i.history().size()) judged.put(i.id(), j.assessment());
          }
          return Effect().reply(c.replyTo(), new Strategies(list, judged));
        })
        .onCommand(Live.class, (s, c) -> Effect().reply(c.replyTo(), new LiveStrategies(live(s))))
        .onCommand(Seed.class, this::onSeed)
        .onCommand(Stop.class, (s, c) -> Effect().stop().thenNoReply())
        .build();
  }

  private static List<StrategySpec> live(State s) {
    return s.strategies().values().stream().filter(i -> i.state() == Lifecycle.LIVE).map(StrategyInfo::spec).toList();
  }

  // ----- registration

  private ReplyEffect<Event, State> onSeed(State s, Seed c) {
    List<Event> events = new ArrayList<>();
    Instant now = Instant.now();
    for (StrategySpec spec : seeds) {
      if (s.get(spec.id()) == null) {
        events.add(new StrategyRegistered(spec, Lifecycle.LIVE, ORIGIN_CONFIG, null,
            "configured in quantum-trader.execution.strategies", now));
      }
    }
    if (events.isEmpty()) return Effect().noReply();
    return Effect().persist(events)
        .thenRun(st -> log.info("strategy-registry: LIVE from the configuration: {}", live(st).stream().map(StrategySpec::id).toList()))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onRegister(State s, Register c) {
    List<String> errors = new ArrayList<>();
    if (c.spec() == null) errors.add("a strategy spec is required");
    else checkStrategyId(c.spec().id(), errors);
    checkActor("origin", c.origin(), errors);
    if (c.reason() != null) checkReason(c.reason(), errors);
    if (c.backtest() != null) {
      if (c.backtest().inSample() != null) c.backtest().inSample().problems().forEach(p -> errors.add("in-sample " + p));
      if (c.backtest().outOfSample() != null) c.backtest().outOfSample().problems().forEach(p -> errors.add("out-of-sample " + p));
    }
    if (!errors.isEmpty()) return Effect().reply(c.replyTo(), new Rejected(RejectionCode.INVALID, String.join("; ", errors)));
    if (s.get(c.spec().id()) != null) {
      return Effect().reply(c.replyTo(), new Rejected(RejectionCode.ALREADY_REGISTERED,
          "strategy " + c.spec().id() + " is already registered (" + s.get(c.spec().id()).state() + ")"));
    }
    String id = c.spec().id();
    String why = c.reason() == null ? "registered by " + c.origin().trim() : c.reason().trim();
    StrategyRegistered registered = new StrategyRegistered(c.spec(), Lifecycle.CANDIDATE, c.origin().trim(), c.backtest(), why, Instant.now());
    ReplyEffect<Event, State> unjournalable = unjournalable(registered, c.origin(), c.replyTo());
    if (unjournalable != null) return unjournalable;
    return Effect().persist(registered)
        .thenRun(st -> log.info("strategy-registry: {} registered as CANDIDATE by {}: {}", id, c.origin(), c.spec()))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(id)));
  }

  /**
   * An operator's event that the journal could not take, answered as a refusal (null when it can be
   * journaled): left to the journal, its rejection would restart the registry with the caller
   * unanswered ({@link Journalable}).
   */
  private ReplyEffect<Event, State> unjournalable(Event e, String by, ActorRef<Reply> replyTo) {
    String refusal = Journalable.refusal(ctx.getSystem(), e, log, "strategy-registry", by);
    return refusal == null ? null : Effect().reply(replyTo, new Rejected(RejectionCode.INVALID, refusal));
  }

  // ----- transitions

  private ReplyEffect<Event, State> onStartShadow(State s, StartShadow c) {
    ReplyEffect<Event, State> refused = refuseTransition(s, c.strategyId(), c.by(), c.reason(), Lifecycle.SHADOW,
        Set.of(Lifecycle.CANDIDATE, Lifecycle.DEMOTED), c.replyTo());
    if (refused != null) return refused;
    Lifecycle from = s.get(c.strategyId()).state();
    ShadowStarted started = new ShadowStarted(c.strategyId(), from, c.by().trim(), c.reason().trim(), Instant.now());
    ReplyEffect<Event, State> unjournalable = unjournalable(started, c.by(), c.replyTo());
    if (unjournalable != null) return unjournalable;
    return Effect().persist(started)
        .thenRun(st -> log.info("strategy-registry: {} {} -> SHADOW by {}: {}", c.strategyId(), from, c.by(), c.reason()))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(c.strategyId())));
  }

  private ReplyEffect<Event, State> onPromote(State s, Promote c) {
    ReplyEffect<Event, State> refused = refuseTransition(s, c.strategyId(), c.by(), c.reason(), Lifecycle.LIVE,
        Set.of(Lifecycle.SHADOW), c.replyTo());
    if (refused != null) return refused;
    if (policyStore == null) return onPromoteChecked(s, new PromoteChecked(c, null));
    // The policy of the moment, not a cached one: a block issued just before must win.
    ctx.ask(PolicyStore.PolicyView.class, policyStore, askTimeout, PolicyStore.Get::new,
        (view, err) -> {
          if (err != null) log.warn("strategy-registry: the policy store did not answer ({}); {} is not promoted", err.getMessage(), c.strategyId());
          return new PromoteChecked(c, view);
        });
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onPromoteChecked(State s, PromoteChecked pc) {
    Promote c = pc.command();
    // The state may have changed while the policy was asked.
    ReplyEffect<Event, State> refused = refuseTransition(s, c.strategyId(), c.by(), c.reason(), Lifecycle.LIVE,
        Set.of(Lifecycle.SHADOW), c.replyTo());
    if (refused != null) return refused;
    String notPermitted = LifecycleRules.notPermitted(c.strategyId(), pc.policy() == null ? null : pc.policy().policy());
    if (notPermitted != null) {
      log.info("strategy-registry: promotion of {} by {} refused: {}", c.strategyId(), c.by(), notPermitted);
      return Effect().reply(c.replyTo(), new Rejected(RejectionCode.NOT_PERMITTED,
          "strategy " + c.strategyId() + " is not promoted: " + notPermitted));
    }
    StrategyPromoted e = new StrategyPromoted(c.strategyId(), Lifecycle.SHADOW, c.by().trim(),
        List.of(c.reason().trim()), Instant.now());
    ReplyEffect<Event, State> unjournalable = unjournalable(e, c.by(), c.replyTo());
    if (unjournalable != null) return unjournalable;
    return Effect().persist(e)
        .thenRun(st -> announce(s, st, List.of(e)))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(c.strategyId())));
  }

  private ReplyEffect<Event, State> onDemote(State s, Demote c) {
    ReplyEffect<Event, State> refused = refuseTransition(s, c.strategyId(), c.by(), c.reason(), Lifecycle.DEMOTED,
        Set.of(Lifecycle.LIVE), c.replyTo());
    if (refused != null) return refused;
    StrategyDemoted e = new StrategyDemoted(c.strategyId(), Lifecycle.LIVE, c.by().trim(),
        List.of(c.reason().trim()), Instant.now());
    ReplyEffect<Event, State> unjournalable = unjournalable(e, c.by(), c.replyTo());
    if (unjournalable != null) return unjournalable;
    return Effect().persist(e)
        .thenRun(st -> announce(s, st, List.of(e)))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(c.strategyId())));
  }

  private ReplyEffect<Event, State> onRetire(State s, Retire c) {
    ReplyEffect<Event, State> refused = refuseTransition(s, c.strategyId(), c.by(), c.reason(), Lifecycle.RETIRED,
        Set.of(Lifecycle.CANDIDATE, Lifecycle.SHADOW, Lifecycle.LIVE, Lifecycle.DEMOTED), c.replyTo());
    if (refused != null) return refused;
    StrategyRetired e = new StrategyRetired(c.strategyId(), s.get(c.strategyId()).state(), c.by().trim(),
        List.of(c.reason().trim()), Instant.now());
    ReplyEffect<Event, State> unjournalable = unjournalable(e, c.by(), c.replyTo());
    if (unjournalable != null) return unjournalable;
    return Effect().persist(e)
        .thenRun(st -> announce(s, st, List.of(e)))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(c.strategyId())));
  }

  private ReplyEffect<Event, State> onReport(State s, ReportTrackRecord c) {
    List<String> errors = new ArrayList<>();
    if (c.book() == null) errors.add("book must be SHADOW or LIVE");
    if (c.record() == null) errors.add("a track record is required");
    else errors.addAll(c.record().problems());
    if (!errors.isEmpty()) return Effect().reply(c.replyTo(), new Rejected(RejectionCode.INVALID, String.join("; ", errors)));
    StrategyInfo i = s.get(c.strategyId());
    if (i == null) return Effect().reply(c.replyTo(), notFound(c.strategyId()));
    Lifecycle needed = c.book() == Book.SHADOW ? Lifecycle.SHADOW : Lifecycle.LIVE;
    if (i.state() != needed) {
      return Effect().reply(c.replyTo(), new Rejected(RejectionCode.ILLEGAL_TRANSITION, "strategy " + c.strategyId()
          + " is " + i.state() + ": a " + c.book() + " track record is taken only while it is " + needed));
    }
    TrackRecord kept = c.book() == Book.SHADOW ? i.shadow() : i.live();
    if (kept != null && i.book() != null && kept.trades() == c.record().trades() && kept.maxDrawdown() == c.record().maxDrawdown()
        && c.record().days() - kept.days() < 1.0 / 24 && i.book().samePositions(c.state())
        && (c.state() == null || c.state().peak() <= i.book().peak())) {
      return Effect().reply(c.replyTo(), new Accepted(i)); // nothing new worth a journal entry
    }
    return Effect().persist(new TrackRecordReported(c.strategyId(), c.book(), c.record(), c.state(), Instant.now()))
        .thenReply(c.replyTo(), st -> new Accepted(st.get(c.strategyId())));
  }

  // ----- evaluation

  private void startEvaluation() {
    if (evaluating) return;
    evaluating = true;
    if (policyStore == null) {
      ctx.getSelf().tell(new EvaluateChecked(null, "no policy store runs on this cluster"));
      return;
    }
    ctx.ask(PolicyStore.PolicyView.class, policyStore, askTimeout, PolicyStore.Get::new,
        (view, err) -> new EvaluateChecked(view, err == null ? null : "the policy store did not answer: " + err.getMessage()));
  }

  private ReplyEffect<Event, State> onEvaluateChecked(State s, EvaluateChecked c) {
    evaluating = false;
    List<ActorRef<Evaluation>> waiters = List.copyOf(evaluationWaiters);
    evaluationWaiters.clear();
    if (c.error() != null) log.warn("strategy-registry: evaluating without a policy ({}): nothing is promoted", c.error());
    GlobalPolicy policy = c.policy() == null ? null : c.policy().policy();
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    TreeMap<String, Verdict> verdicts = new TreeMap<>();
    // Who is LIVE as the evaluation goes: demotions first, so a promotion never has to beat a strategy
    // that is on its way out; then each promotion replaces its incumbent.
    TreeMap<String, StrategyInfo> live = new TreeMap<>();
    for (StrategyInfo i : s.strategies().values()) {
      if (i.state() != Lifecycle.LIVE) continue;
      Decision d = rules.demotion(i.id(), i.live(), i.shadow(), policy);
      verdicts.put(i.id(), new Verdict(i.id(), i.state(), d.action(), d.reasons()));
      if (d.action() == Action.DEMOTE) events.add(new StrategyDemoted(i.id(), Lifecycle.LIVE, SOURCE, d.reasons(), now));
      else live.put(i.id(), i);
    }
    Map<String, List<String>> unmet = new TreeMap<>();
    // The best shadow record first: of several challengers that qualify for one template, the one with
    // the highest shadow Sharpe goes live (the others then face it, whose live record is not known yet).
    List<StrategyInfo> shadows = s.strategies().values().stream().filter(i -> i.state() == Lifecycle.SHADOW)
        .sorted(BEST_SHADOW_FIRST).toList();
    for (StrategyInfo i : shadows) {
      Incumbent incumbent = incumbent(live, i.spec().template());
      Decision d = rules.promotion(i.id(), i.shadow(), incumbent, policy);
      verdicts.put(i.id(), new Verdict(i.id(), i.state(), d.action(), d.reasons()));
      if (d.action() != Action.PROMOTE) {
        unmet.put(i.id(), d.unmet());
        if (!d.unmet().equals(unmetLogged.get(i.id()))) {
          log.info("strategy-registry: {} stays in SHADOW: {}", i.id(), String.join("; ", d.reasons()));
        }
        continue;
      }
      events.add(new StrategyPromoted(i.id(), Lifecycle.SHADOW, SOURCE, d.reasons(), now));
      if (incumbent != null) {
        String beat = d.reasons().stream().filter(r -> r.startsWith("beats incumbent")).findFirst().orElse("");
        List<String> why = List.of("replaced by " + i.id() + " (" + beat + ")");
        events.add(new StrategyDemoted(incumbent.strategyId(), Lifecycle.LIVE, SOURCE, why, now));
        verdicts.put(incumbent.strategyId(), new Verdict(incumbent.strategyId(), Lifecycle.LIVE, Action.DEMOTE, why));
        live.remove(incumbent.strategyId());
      }
      live.put(i.id(), new StrategyInfo(i.spec(), Lifecycle.LIVE, i.origin(), i.backtest(), i.shadow(), null, null, i.history()));
    }
    Evaluation result = new Evaluation(c.policy() == null ? -1 : c.policy().version(), List.copyOf(verdicts.values()));
    unmetLogged = unmet;
    Map<String, Judged> judged = new TreeMap<>();
    for (Verdict v : verdicts.values()) {
      judged.put(v.strategyId(), new Judged(new Assessment(v.state(), v.action(), v.reasons(), now, result.policyVersion()),
          s.get(v.strategyId()).history().size()));
    }
    assessments = judged;
    if (events.isEmpty()) {
      waiters.forEach(w -> w.tell(result));
      return Effect().noReply();
    }
    return Effect().persist(events)
        .thenRun(st -> {
          announce(s, st, events);
          waiters.forEach(w -> w.tell(result));
        })
        .thenNoReply();
  }

  /** Highest shadow Sharpe first; no record or an undefined Sharpe last; then by id. */
  static final java.util.Comparator<StrategyInfo> BEST_SHADOW_FIRST = java.util.Comparator
      .comparingDouble((StrategyInfo i) -> i.shadow() == null || Double.isNaN(i.shadow().sharpe())
          ? Double.POSITIVE_INFINITY : -i.shadow().sharpe())
      .thenComparing(StrategyInfo::id);

  /**
   * The LIVE strategy of this template a promotion would replace: one whose live record is not known
   * yet if there is such (it cannot be shown to be worse), else the one with the weakest live Sharpe.
   */
  static Incumbent incumbent(Map<String, StrategyInfo> live, Template template) {
    StrategyInfo weakest = null;
    for (StrategyInfo i : live.values()) {
      if (i.spec().template() != template) continue;
      // no closed live trade yet (a book that has only opened a position reports, for its resumption):
      // nothing to compare with, so it cannot be shown to be worse
      if (i.live() == null || i.live().trades() == 0) return new Incumbent(i.id(), null);
      if (weakest == null || weaker(i, weakest)) weakest = i;
    }
    return weakest == null ? null : new Incumbent(weakest.id(), weakest.live());
  }

  /**
   * Whether {@code a}'s live Sharpe is below {@code b}'s, an undefined one (fewer than two days of
   * record) counting as 0, as the promotion bar counts it ({@link LifecycleRules}); equal ones by id,
   * so that the choice does not depend on the order the strategies come in.
   */
  private static boolean weaker(StrategyInfo a, StrategyInfo b) {
    double x = definedOrZero(a.live().sharpe()), y = definedOrZero(b.live().sharpe());
    return x < y || (x == y && a.id().compareTo(b.id()) < 0);
  }

  private static double definedOrZero(double sharpe) {
    return Double.isNaN(sharpe) ? 0 : sharpe;
  }

  // ----- helpers

  /** Logs a promotion, demotion or retirement and publishes it as {@code strategy.promoted}. */
  private void announce(State after, Event e) {
    List<String> reasons;
    Lifecycle from;
    Lifecycle to;
    String direction;
    if (e instanceof StrategyPromoted p) {
      reasons = p.reasons();
      from = p.from();
      to = Lifecycle.LIVE;
      direction = "UP";
    } else if (e instanceof StrategyDemoted d) {
      reasons = d.reasons();
      from = d.from();
      to = Lifecycle.DEMOTED;
      direction = "DOWN";
    } else if (e instanceof StrategyRetired r) {
      reasons = r.reasons();
      from = r.from();
      to = Lifecycle.RETIRED;
      direction = "DOWN";
    } else {
      return;
    }
    // An operator's move names the operator on the bus, whose event has no field for it; the
    // journal keeps who in the event's own field (events journaled before kept it in the reason too).
    String by = e instanceof StrategyPromoted p ? p.by() : e instanceof StrategyDemoted d ? d.by() : ((StrategyRetired) e).by();
    if (!SOURCE.equals(by) && !reasons.isEmpty() && !reasons.get(0).startsWith("by " + by + ": ")) {
      List<String> named = new ArrayList<>(reasons);
      named.set(0, "by " + by + ": " + reasons.get(0));
      reasons = named;
    }
    StrategyInfo i = after.get(e.strategyId());
    log.info("strategy-registry: {} {} -> {}: {}", e.strategyId(), from, to, String.join("; ", reasons));
    bus.publish(SOURCE, new com.quantumtrader.bus.StrategyPromoted(e.strategyId(), i.spec().template().name(),
        from.name(), to.name(), direction, reasons));
  }

  /**
   * Announces {@code events}, persisted on {@code before}, and says once when they left nothing LIVE:
   * the node stays HEALTHY and the book keeps its exits, but nothing opens.
   */
  private void announce(State before, State after, List<Event> events) {
    for (Event e : events) announce(after, e);
    if (!live(before).isEmpty() && live(after).isEmpty()) {
      log.warn("strategy-registry: no LIVE strategy left ({} left LIVE): the fund opens no new position until one is promoted"
          + " (a SHADOW strategy that qualifies, or strategies promote <id>)", String.join(", ", live(before).stream().map(StrategySpec::id).toList()));
    }
  }

  /** A refusal of the transition to {@code to}, or null when it may go ahead. */
  private ReplyEffect<Event, State> refuseTransition(State s, String id, String by, String reason, Lifecycle to,
      Set<Lifecycle> allowedFrom, ActorRef<Reply> replyTo) {
    List<String> errors = new ArrayList<>();
    checkActor("by", by, errors);
    checkReason(reason, errors);
    if (!errors.isEmpty()) return Effect().reply(replyTo, new Rejected(RejectionCode.INVALID, String.join("; ", errors)));
    StrategyInfo i = s.get(id);
    if (i == null) return Effect().reply(replyTo, notFound(id));
    if (!allowedFrom.contains(i.state())) {
      return Effect().reply(replyTo, new Rejected(RejectionCode.ILLEGAL_TRANSITION,
          "strategy " + id + " is " + i.state() + "; " + to + " is reached only from " + new java.util.TreeSet<>(allowedFrom)));
    }
    return null;
  }

  private static Rejected notFound(String id) {
    return new Rejected(RejectionCode.NOT_FOUND, "no strategy " + id);
  }

  private static void checkReason(String reason, List<String> errors) {
    if (reason == null || reason.isBlank()) errors.add("a reason is required");
    else if (Change.characters(reason) > Change.MAX_REASON_LENGTH) errors.add("reason is longer than " + Change.MAX_REASON_LENGTH + " characters");
  }

  private static void checkActor(String field, String value, List<String> errors) {
    if (value == null || value.isBlank()) errors.add(field + " is required");
    else if (Change.characters(value) > Change.MAX_ACTOR_LENGTH) errors.add(field + " is longer than " + Change.MAX_ACTOR_LENGTH + " characters");
  }

  private static void checkStrategyId(String id, List<String> errors) {
    String problem = com.quantumtrader.strategy.StrategySpec.idProblem(id);
    if (problem != null) errors.add(problem);
  }
}
