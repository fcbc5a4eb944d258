package com.quantumtrader.policy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.PolicyUpdated;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Journalable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The global risk policy, event-sourced: its journal is the policy history. One instance per
 * cluster (a cluster singleton), so there is one writer. Every change is validated, checked against
 * the caller's expected version, persisted, and only then acknowledged and published as {@code
 * policy.updated}.
 */
public final class PolicyStore
    extends EventSourcedBehaviorWithEnforcedReplies<
        PolicyStore.Command, PolicyStore.Event, PolicyStore.State> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.of("PolicyStore", "global");
  public static final String TAG = "policy";
  public static final String SOURCE = "policy-store";

  // ---------------------------------------------------------------------------------------------
  // Protocol

  public sealed interface Command extends CborSerializable {}

  public record Get(ActorRef<PolicyView> replyTo) implements Command {}

  public record SetRiskMode(RiskMode mode, Change change, ActorRef<Reply> replyTo) implements Command {}

  public record AllowStrategy(String strategyId, Change change, ActorRef<Reply> replyTo)
      implements Command {}

  /** Takes a strategy instance off the allow list (once the list is empty, every strategy not blocked is permitted). */
  public record DisallowStrategy(String strategyId, Change change, ActorRef<Reply> replyTo)
      implements Command {}

  public record BlockStrategy(String strategyId, Change change, ActorRef<Reply> replyTo)
      implements Command {}

  public record UnblockStrategy(String strategyId, Change change, ActorRef<Reply> replyTo)
      implements Command {}

  /** Keeps a symbol out of the rankings and out of trading. */
  public record BlockSymbol(String symbol, Change change, ActorRef<Reply> replyTo) implements Command {}

  public record UnblockSymbol(String symbol, Change change, ActorRef<Reply> replyTo) implements Command {}

  /** Changes some limits; a null field keeps its current value. */
  public record ChangeLimits(
      Double minConfidence,
      Double maxRiskPerTrade,
      Integer maxOpenPositions,
      Double maxGrossExposure,
      Change change,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** Stops the store (sent by the singleton manager on hand-over). */
  public enum Stop implements Command {
    INSTANCE
  }

  /** The current policy and the change that made it. */
  public record PolicyView(
      long version, GlobalPolicy policy, Instant updatedAt, String updatedBy, String reason)
      implements CborSerializable {}

  public sealed interface Reply extends CborSerializable {}

  /** The change is in the journal ({@code changed}) or was already in effect (no new version). */
  public record Accepted(PolicyView policy, boolean changed) implements Reply {}

  public enum RejectionCode {
    /** The request breaks a rule: bounds, unknown mode, a blocked strategy on the allow list, ... */
    INVALID,
    /** The policy is no longer at the version the caller expected. */
    VERSION_CONFLICT
  }

  public record Rejected(RejectionCode code, String message, long currentVersion) implements Reply {}

  // ---------------------------------------------------------------------------------------------
  // Events: facts in the past tense, never changed in meaning once persisted.

  /** Who made a change, why, and when. */
  public record ChangeMeta(String changedBy, String reason, Instant at) implements CborSerializable {}

  public sealed interface Event extends CborSerializable {
    ChangeMeta meta();

    /** What changed, in words, for the history and for {@code policy.updated}. */
    String describe();
  }

  /**
   * The policy the store started from, written with the first change so that the journal alone
   * reproduces the policy even if the configured presets change later.
   */
  public record PolicyInitialized(GlobalPolicy policy, ChangeMeta meta) implements Event {
    public String describe() {
      return "policy initialized in " + policy.riskMode() + " mode with " + policy.limits();
    }
  }

  public record RiskModeChanged(RiskMode mode, RiskMode previous, Limits limits, ChangeMeta meta)
      implements Event {
    public String describe() {
      return "risk mode " + previous + " -> " + mode + ", limits " + limits;
    }
  }

  public record StrategyAllowed(String strategyId, ChangeMeta meta) implements Event {
    public String describe() {
      return "strategy " + strategyId + " allowed";
    }
  }

  public record StrategyDisallowed(String strategyId, ChangeMeta meta) implements Event {
    public String describe() {
      return "strategy " + strategyId + " taken off the allow list";
    }
  }

  public record StrategyBlocked(String strategyId, boolean removedFromAllowList, ChangeMeta meta)
      implements Event {
    public String describe() {
      return "strategy " + strategyId + " blocked" + (removedFromAllowList ? " (and taken off the allow list)" : "");
    }
  }

  public record StrategyUnblocked(String strategyId, ChangeMeta meta) implements Event {
    public String describe() {
      return "strategy " + strategyId + " unblocked";
    }
  }

  public record SymbolBlocked(String symbol, ChangeMeta meta) implements Event {
    public String describe() {
      return "symbol " + symbol + " blocked";
    }
  }

  public record SymbolUnblocked(String symbol, ChangeMeta meta) implements Event {
    public String describe() {
      return "symbol " + symbol + " unblocked";
    }
  }

  public record LimitsChanged(Limits limits, Limits previous, ChangeMeta meta) implements Event {
    public String describe() {
      return "limits " + previous + " -> " + limits;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State

  public record State(long version, GlobalPolicy policy, Instant updatedAt, String updatedBy, String reason)
      implements CborSerializable {
    PolicyView view() {
      return new PolicyView(version, policy, updatedAt, updatedBy, reason);
    }

    State apply(Event e) {
      GlobalPolicy next;
      if (e instanceof PolicyInitialized i) next = i.policy();
      else if (e instanceof RiskModeChanged r) next = policy.withRiskMode(r.mode(), r.limits());
      else if (e instanceof StrategyAllowed a) next = policy.withAllowed(a.strategyId());
      else if (e instanceof StrategyBlocked b) next = policy.withBlocked(b.strategyId());
      else if (e instanceof StrategyUnblocked u) next = policy.withUnblocked(u.strategyId());
      else if (e instanceof StrategyDisallowed d) next = policy.withDisallowed(d.strategyId());
      else if (e instanceof LimitsChanged l) next = policy.withLimits(l.limits());
      else if (e instanceof SymbolBlocked sb) next = policy.withSymbolBlocked(sb.symbol(), true);
      else if (e instanceof SymbolUnblocked su) next = policy.withSymbolBlocked(su.symbol(), false);
      else throw new IllegalStateException("unknown policy event " + e.getClass().getName());
      return new State(version + 1, next, e.meta().at(), e.meta().changedBy(), e.meta().reason());
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Starts the cluster-wide singleton (once per node, from the guardian) and returns its proxy. */
  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(behavior, "policy-store").withStopMessage(Stop.INSTANCE));
  }

  public static Behavior<Command> create(PolicySettings settings) {
    return create(settings, Instant::now);
  }

  /** With a clock, for tests. */
  public static Behavior<Command> create(PolicySettings settings, Supplier<Instant> clock) {
    return Behaviors.setup(ctx -> new PolicyStore(settings, clock, EventBus.get(ctx.getSystem()), ctx.getLog(), ctx.getSystem()));
  }

  private final PolicySettings settings;
  private final akka.actor.ClassicActorSystemProvider system;
  private final Supplier<Instant> clock;
  private final EventBus bus;
  private final Logger log;

  private PolicyStore(PolicySettings settings, Supplier<Instant> clock, EventBus bus, Logger log,
      akka.actor.ClassicActorSystemProvider system) {
    super(
        PERSISTENCE_ID,
        // A journal that is down must not kill the policy for good: retry with backoff. The
        // command in flight gets no answer; its caller times out and nothing was acknowledged.
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.settings = settings;
    this.clock = clock;
    this.bus = bus;
    this.log = log;
    this.system = system;
  }

  @Override
  public State emptyState() {
    return new State(0, settings.initialPolicy(), null, null, null);
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
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state.version() == 0) {
                log.info("policy-store: no history yet; policy starts in {} mode with {}", state.policy().riskMode(), state.policy().limits());
              } else {
                log.info(
                    "policy-store: recovered policy version {} ({} mode, {} allowed, {} blocked strategies); last change {} by {}: {}",
                    state.version(),
                    state.policy().riskMode(),
                    state.policy().allowedStrategies().size(),
                    state.policy().blockedStrategies().size(),
                    state.updatedAt(),
                    state.updatedBy(),
                    state.reason());
              }
            })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> b = newCommandHandlerWithReplyBuilder();
    b.forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(SetRiskMode.class, this::onSetRiskMode)
        .onCommand(AllowStrategy.class, this::onAllow)
        .onCommand(BlockStrategy.class, this::onBlock)
        .onCommand(UnblockStrategy.class, this::onUnblock)
        .onCommand(DisallowStrategy.class, this::onDisallow)
        .onCommand(ChangeLimits.class, this::onChangeLimits)
        .onCommand(BlockSymbol.class, this::onBlockSymbol)
        .onCommand(UnblockSymbol.class, this::onUnblockSymbol)
        .onCommand(Stop.class, (s, c) -> Effect().stop().thenNoReply());
    return b.build();
  }

  private ReplyEffect<Event, State> onSetRiskMode(State s, SetRiskMode c) {
    List<String> errors = checkChange(c.change());
    if (c.mode() == null) errors.add("risk mode must be one of AGGRESSIVE, NORMAL, DEFENSIVE");
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    Limits preset = settings.preset(c.mode());
    if (s.policy().riskMode() == c.mode() && s.policy().limits().equals(preset)) {
      return unchanged(s, c.replyTo());
    }
    return persist(s, new RiskModeChanged(c.mode(), s.policy().riskMode(), preset, meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onAllow(State s, AllowStrategy c) {
    List<String> errors = checkChange(c.change());
    checkStrategyId(c.strategyId(), errors);
    if (errors.isEmpty() && s.policy().blockedStrategies().contains(c.strategyId())) {
      errors.add("strategy " + c.strategyId() + " is blocked; unblock it before allowing it");
    }
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    if (s.policy().allowedStrategies().contains(c.strategyId())) return unchanged(s, c.replyTo());
    return persist(s, new StrategyAllowed(c.strategyId(), meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onDisallow(State s, DisallowStrategy c) {
    List<String> errors = checkChange(c.change());
    checkStrategyId(c.strategyId(), errors);
    if (errors.isEmpty() && !s.policy().allowedStrategies().contains(c.strategyId())) {
      errors.add("strategy " + c.strategyId() + " is not on the allow list " + s.policy().allowedStrategies());
    }
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    return persist(s, new StrategyDisallowed(c.strategyId(), meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onBlock(State s, BlockStrategy c) {
    List<String> errors = checkChange(c.change());
    checkStrategyId(c.strategyId(), errors);
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    if (s.policy().blockedStrategies().contains(c.strategyId())) return unchanged(s, c.replyTo());
    boolean wasAllowed = s.policy().allowedStrategies().contains(c.strategyId());
    return persist(s, new StrategyBlocked(c.strategyId(), wasAllowed, meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onUnblock(State s, UnblockStrategy c) {
    List<String> errors = checkChange(c.change());
    checkStrategyId(c.strategyId(), errors);
    if (errors.isEmpty() && !s.policy().blockedStrategies().contains(c.strategyId())) {
      errors.add("strategy " + c.strategyId() + " is not blocked");
    }
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    return persist(s, new StrategyUnblocked(c.strategyId(), meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onChangeLimits(State s, ChangeLimits c) {
    List<String> errors = checkChange(c.change());
    if (c.minConfidence() == null
        && c.maxRiskPerTrade() == null
        && c.maxOpenPositions() == null
        && c.maxGrossExposure() == null) {
      errors.add("no limit given to change");
    }
    Limits current = s.policy().limits();
    Limits next = current.with(c.minConfidence(), c.maxRiskPerTrade(), c.maxOpenPositions(), c.maxGrossExposure());
    errors.addAll(next.violations());
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    if (next.equals(current)) return unchanged(s, c.replyTo());
    return persist(s, new LimitsChanged(next, current, meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onBlockSymbol(State s, BlockSymbol c) {
    List<String> errors = checkChange(c.change());
    checkSymbol(c.symbol(), errors);
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    if (s.policy().blockedSymbols().contains(c.symbol())) return unchanged(s, c.replyTo());
    return persist(s, new SymbolBlocked(c.symbol(), meta(c.change())), c.replyTo());
  }

  private ReplyEffect<Event, State> onUnblockSymbol(State s, UnblockSymbol c) {
    List<String> errors = checkChange(c.change());
    checkSymbol(c.symbol(), errors);
    if (errors.isEmpty() && !s.policy().blockedSymbols().contains(c.symbol())) {
      errors.add("symbol " + c.symbol() + " is not blocked");
    }
    ReplyEffect<Event, State> refused = refuse(s, c.change(), errors, c.replyTo());
    if (refused != null) return refused;
    return persist(s, new SymbolUnblocked(c.symbol(), meta(c.change())), c.replyTo());
  }

  // ---------------------------------------------------------------------------------------------

  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9._-]{0,31}");

  private static void checkSymbol(String symbol, List<String> errors) {
    if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
      errors.add("symbol must be 1-32 upper-case letters, digits, '.', '_', '-', got '" + symbol + "'");
    }
  }

  static List<String> checkChange(Change change) {
    List<String> errors = new ArrayList<>();
    if (change == null) {
      errors.add("a change must say who makes it and why");
      return errors;
    }
    if (change.changedBy() == null || change.changedBy().isBlank()) {
      errors.add("a change must name who makes it");
    } else if (Change.characters(change.changedBy()) > Change.MAX_ACTOR_LENGTH) {
      errors.add("changedBy is longer than " + Change.MAX_ACTOR_LENGTH + " characters");
    }
    if (change.reason() == null || change.reason().isBlank()) {
      errors.add("a change must give a reason");
    } else if (Change.characters(change.reason()) > Change.MAX_REASON_LENGTH) {
      errors.add("reason is longer than " + Change.MAX_REASON_LENGTH + " characters");
    }
    return errors;
  }

  private static void checkStrategyId(String id, List<String> errors) {
    String problem = com.quantumtrader.strategy.StrategySpec.idProblem(id);
    if (problem != null) errors.add(problem);
  }

  /** A rejection for validation errors or a version conflict; null when the command may proceed. */
  private ReplyEffect<Event, State> refuse(State s, Change change, List<String> errors, ActorRef<Reply> replyTo) {
    if (!errors.isEmpty()) {
      return Effect().reply(replyTo, new Rejected(RejectionCode.INVALID, String.join("; ", errors), s.version()));
    }
    if (change.expectedVersion() != null && change.expectedVersion() != s.version()) {
      return Effect()
          .reply(
              replyTo,
              new Rejected(
                  RejectionCode.VERSION_CONFLICT,
                  "policy is at version " + s.version() + ", not the expected " + change.expectedVersion(),
                  s.version()));
    }
    return null;
  }

  private ReplyEffect<Event, State> unchanged(State s, ActorRef<Reply> replyTo) {
    return Effect().reply(replyTo, new Accepted(s.view(), false));
  }

  private ReplyEffect<Event, State> persist(State s, Event event, ActorRef<Reply> replyTo) {
    List<Event> events = new ArrayList<>(2);
    // the policy the node started with, journaled with the first change: by the store, not by that change's author
    if (s.version() == 0) {
      events.add(new PolicyInitialized(s.policy(), new ChangeMeta(SOURCE, "the initial policy of the node's configuration",
          event.meta().at())));
    }
    events.add(event);
    for (Event e : events) {
      // the journal would reject it and the store restart, the caller unanswered (common.Journalable)
      String refusal = Journalable.refusal(system, e, log, "policy-store", event.meta().changedBy());
      if (refusal != null) return Effect().reply(replyTo, new Rejected(RejectionCode.INVALID, "the change " + refusal, s.version()));
    }
    return Effect()
        .persist(events)
        .thenRun(
            (State after) ->
                bus.publish(
                    SOURCE,
                    new PolicyUpdated(
                        after.version(), after.policy(), after.updatedBy(), after.reason(), event.describe())))
        .thenReply(replyTo, after -> new Accepted(after.view(), true));
  }

  private ChangeMeta meta(Change change) {
    return new ChangeMeta(change.changedBy().trim(), change.reason().trim(), clock.get());
  }
}
