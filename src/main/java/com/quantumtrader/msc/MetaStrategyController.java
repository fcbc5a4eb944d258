package com.quantumtrader.msc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
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
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.HealthStatusChanged;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Futures;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.common.Journalable;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.EqualWeightIndex;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.ranker.RankingAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;

/**
 * The Meta Strategy Controller (MSC AI): every update interval, and at once when the node's health
 * changes or an operator sets or clears an override, it builds a {@link MarketAnalysis} from the
 * rankers' scores and the feed's equal-weight index, classifies the regime ({@link
 * RegimeClassifier}) and decides the risk mode ({@link RiskModeDecider}: hysteresis, dwell time,
 * emergency, override). Each evaluation is persisted as its decision log ({@link Evaluated}). When
 * the decision changes the mode and auto-adjust is on, it writes the mode to the Policy Store as
 * {@code MSC_AI} with the analysis as the reason (retried at each evaluation until the store
 * accepts it); with auto-adjust off it only advises (logs). A cluster singleton.
 */
public final class MetaStrategyController
    extends EventSourcedBehaviorWithEnforcedReplies<MetaStrategyController.Command, MetaStrategyController.Event,
        MetaStrategyController.State> {

  public static final String PERSISTENCE_ID = "meta-strategy-controller";
  public static final String TAG = "msc";
  public static final String ACTOR = "MSC_AI";
  /** Decisions kept in the state for a quick look; the journal has them all. */
  static final int RECENT = 20;

  /**
   * @param criticalConfirm a CRITICAL learned by asking the health monitors (not from an event) is
   *     asked again after this long, and acted on only if it still holds (0: acted on at once)
   */
  public record Settings(Duration updateInterval, boolean autoAdjust, RegimeClassifier.Thresholds thresholds,
      RiskModeDecider.Rules rules, Duration askTimeout, Duration criticalConfirm) {}

  // ----- commands

  public sealed interface Command extends CborSerializable {}

  /** Ask the health monitors again, to confirm a CRITICAL they said (see {@link Settings#criticalConfirm}). */
  private enum ConfirmHealth implements Command {
    INSTANCE
  }

  /** Evaluate now (the timer sends it every update interval). */
  public enum Evaluate implements Command {
    INSTANCE
  }

  public record SetOverride(RiskMode mode, String by, String reason, Instant expiresAt, ActorRef<OverrideReply> replyTo)
      implements Command {}

  public record ClearOverride(String by, String reason, ActorRef<OverrideReply> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public sealed interface OverrideReply extends CborSerializable {}

  public record OverrideAccepted(RiskModeDecider.Override override) implements OverrideReply {}

  public record OverrideRefused(String reason) implements OverrideReply {}

  private record Analysed(MarketAnalysis analysis, String error) implements Command {}

  private record HealthDelivery(Delivery delivery) implements Command {}

  /**
   * The worst current status of the health monitors that answered ({@code monitors} of them), asked
   * when {@code eventsBefore} health changes had come from the bus (a later one stands).
   */
  private record HealthNow(HealthStatus worst, int monitors, String error, long eventsBefore) implements Command {}

  /** @param conflict refused because the policy changed after MSC read it (it reads it again at once) */
  private record PolicyWritten(RiskMode mode, String outcome, boolean ok, boolean changed, boolean conflict) implements Command {}

  /**
   * The policy as read before writing {@code mode} (null with {@code error}: the store did not
   * answer): a mode the policy is in already is not written again.
   */
  private record ModeChecked(RiskMode mode, String why, PolicyStore.PolicyView policy, String error) implements Command {}

  /** The policy's mode while an override holds (null with {@code error}: the store did not answer). */
  private record OverrideChecked(RiskModeDecider.Override override, RiskMode policyMode, String error) implements Command {}

  /**
   * @param mode the mode MSC decided (the policy's mode, unless a write is pending or an operator
   *     changed it directly)
   */
  /**
   * @param criticalToConfirmSince when the health monitors, asked, first said CRITICAL while {@code
   *     health} is not (MSC asks again {@link Settings#criticalConfirm} later before acting); null when
   *     nothing waits for a confirmation
   */
  public record Status(RiskMode mode, Instant since, MarketAnalysis analysis, RegimeClassifier.Assessment assessment,
      HealthStatus health, RiskModeDecider.Override override, boolean autoAdjust, RiskMode pendingWrite,
      long evaluations, List<Evaluated> recent, long journalSequenceNr, Instant criticalToConfirmSince)
      implements CborSerializable, akka.actor.DeadLetterSuppression {}

  // ----- events

  public sealed interface Event extends CborSerializable {}

  /** One evaluation: what MSC saw, what it concluded, and why. */
  public record Evaluated(MarketAnalysis analysis, RegimeClassifier.Assessment assessment, HealthStatus health,
      RiskModeDecider.State decider, RiskMode mode, boolean changed, boolean emergency, String reason, Instant at)
      implements Event {}

  public record OverrideSet(RiskModeDecider.Override override, Instant at) implements Event {}

  public record OverrideCleared(String by, String reason, Instant at) implements Event {}

  // ----- state

  public record State(RiskModeDecider.State decider, RiskModeDecider.Override override, MarketAnalysis analysis,
      RegimeClassifier.Assessment assessment, HealthStatus health, long evaluations, List<Evaluated> recent)
      implements CborSerializable {
    public State {
      recent = recent == null ? List.of() : List.copyOf(recent);
    }

    State evaluated(Evaluated e) {
      List<Evaluated> r = new ArrayList<>(recent);
      r.add(e);
      if (r.size() > RECENT) r = r.subList(r.size() - RECENT, r.size());
      return new State(e.decider(), override, e.analysis(), e.assessment(), e.health(), evaluations + 1, r);
    }

    State withOverride(RiskModeDecider.Override o) {
      return new State(decider, o, analysis, assessment, health, evaluations, recent);
    }
  }

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "meta-strategy-controller"));
  }

  /**
   * @param feed the market feed singleton (null when this cluster runs none: index figures are 0)
   * @param initialMode the mode a brand-new decision log starts from (the policy's initial mode)
   */
  public static Behavior<Command> create(Settings settings, ActorRef<RankingAggregator.Command> aggregator,
      ActorRef<MarketFeed.Command> feed, ActorRef<PolicyStore.Command> policyStore, RiskMode initialMode) {
    return create(settings, aggregator, feed, policyStore, initialMode, PERSISTENCE_ID);
  }

  public static Behavior<Command> create(Settings settings, ActorRef<RankingAggregator.Command> aggregator,
      ActorRef<MarketFeed.Command> feed, ActorRef<PolicyStore.Command> policyStore, RiskMode initialMode, String persistenceId) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new MetaStrategyController(ctx, timers, settings, aggregator, feed,
        policyStore, initialMode, PersistenceId.ofUniqueId(persistenceId))));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final ActorRef<RankingAggregator.Command> aggregator;
  private final ActorRef<MarketFeed.Command> feed;
  private final ActorRef<PolicyStore.Command> policyStore;
  private final RiskMode initialMode;
  private final RegimeClassifier classifier;
  private final RiskModeDecider decider;
  private final Logger log;
  /** Latest health from the bus (HEALTHY until told otherwise). */
  private HealthStatus health = HealthStatus.HEALTHY;
  private boolean analysing;
  private boolean refreshing;
  /** Health changes taken from the bus by this incarnation. */
  private long healthEvents;
  /** When this incarnation recovered: a health event from before is stale (the monitors are asked). */
  private Instant recoveredAt = Instant.MAX;
  /** When the monitors, asked, first said CRITICAL while MSC's health was not (null: nothing to confirm). */
  private Instant criticalAskedAt;
  /** A mode decided but not yet accepted by the Policy Store (retried at each evaluation). */
  private RiskMode pendingWrite;
  private String pendingWhy;
  private boolean writing;
  /** Version conflicts in a row on writing the pending mode (each re-read at once, up to 3). */
  private int conflicts;

  private MetaStrategyController(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
      ActorRef<RankingAggregator.Command> aggregator, ActorRef<MarketFeed.Command> feed,
      ActorRef<PolicyStore.Command> policyStore, RiskMode initialMode, PersistenceId id) {
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.aggregator = aggregator;
    this.feed = feed;
    this.policyStore = policyStore;
    this.initialMode = initialMode;
    this.classifier = new RegimeClassifier(settings.thresholds());
    this.decider = new RiskModeDecider(settings.rules());
    this.log = ctx.getLog();
  }

  /** At most {@link com.quantumtrader.common.StashLimit#CAPACITY} commands held while recovering or persisting (see there). */
  @Override
  public java.util.Optional<Integer> stashCapacity() {
    return com.quantumtrader.common.StashLimit.capacity();
  }

  @Override
  public State emptyState() {
    return new State(RiskModeDecider.State.initial(initialMode, Instant.EPOCH), null, null, null, HealthStatus.HEALTHY, 0, null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // After every recovery, also the one that follows a restart on a journal failure: that restart
          // stops the actor's children, the bus subscription among them, so it is made again here.
          EventBus.get(ctx.getSystem()).subscribe(ctx, "meta-strategy-controller", Set.of(EventType.HEALTH_STATUS_CHANGED),
              ctx.messageAdapter(Delivery.class, HealthDelivery::new));
          // The journaled health is what the last evaluation saw, possibly before a restart of the node
          // or changes missed meanwhile (the monitors publish changes only): the monitors are asked now.
          if (s.health() != null && s.health() != HealthStatus.HEALTHY) {
            log.info("msc: the last evaluation saw health {}; asking the health monitors for the current one", s.health());
          }
          health = HealthStatus.HEALTHY;
          recoveredAt = Instant.now();
          // This object outlives a restart on a journal failure, its timers and the replies it waited
          // for do not: nothing is in flight any more, and nothing waits for a confirmation.
          criticalAskedAt = null;
          writing = false;
          refreshing = false;
          analysing = false;
          refreshHealth();
          log.info("msc: recovered in {} mode ({}), {} evaluations so far, auto-adjust {}, every {}",
              s.decider().mode(), !s.decider().since().equals(Instant.EPOCH) ? "since " + s.decider().since()
                  : s.evaluations() == 0 ? "a new decision log" : "no change decided yet",
              s.evaluations(), settings.autoAdjust() ? "on" : "off (advice only)",
              settings.updateInterval());
          timers.startTimerWithFixedDelay(Evaluate.INSTANCE, settings.updateInterval());
          if (activeOverride(s) != null) evaluateAtExpiry(s.override());
        })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Evaluate.class, (s, c) -> {
          // a health other than HEALTHY is checked with the monitors at each evaluation, so that a
          // change the bus did not bring (a monitor's node stopped, a restart here) does not hold it
          if (health != HealthStatus.HEALTHY || criticalAskedAt != null) refreshHealth();
          analyse();
          return Effect().noReply();
        })
        .onCommand(ConfirmHealth.class, (s, c) -> {
          if (criticalAskedAt == null) return Effect().noReply();
          if (refreshing) timers.startSingleTimer(ConfirmHealth.INSTANCE, ConfirmHealth.INSTANCE, Duration.ofMillis(500));
          else refreshHealth();
          return Effect().noReply();
        })
        .onCommand(HealthNow.class, (s, c) -> {
          refreshing = false;
          if (c.eventsBefore() != healthEvents) {
            log.debug("msc: a health event came during the monitors' answers; it stands ({})", health);
          } else if (c.monitors() == 0) {
            log.debug("msc: no health monitor answered ({}); health stays {}", c.error(), health);
          } else if (c.worst() == HealthStatus.CRITICAL && health != HealthStatus.CRITICAL && unconfirmed()) {
            // A status read, not a change seen happening: a monitor still says CRITICAL for a few seconds
            // after the database is back, and MSC, back first, would force DEFENSIVE on a healthy node.
            log.info("msc: the health monitors say CRITICAL ({} asked; was {}); asking again {} s after the first such answer"
                + " before acting on it", c.monitors(), health, settings.criticalConfirm().toMillis() / 1000.0);
          } else if (c.worst() != health) {
            if (criticalAskedAt != null && c.worst() == HealthStatus.CRITICAL && !settings.criticalConfirm().isZero()) {
              log.info("msc: the health monitors still say CRITICAL {} s after the first such answer: confirmed",
                  Duration.between(criticalAskedAt, Instant.now()).toMillis() / 1000.0);
            }
            criticalAskedAt = null;
            log.info("msc: health is {} ({} monitor{} asked; was {}), evaluating", c.worst(), c.monitors(),
                c.monitors() == 1 ? "" : "s", health);
            health = c.worst();
            analyse();
          } else {
            if (criticalAskedAt != null) {
              log.info("msc: the health monitors no longer say CRITICAL (now {}): nothing to act on", c.worst());
            }
            criticalAskedAt = null;
          }
          return Effect().noReply();
        })
        .onCommand(Analysed.class, this::onAnalysed)
        .onCommand(HealthDelivery.class, (s, c) -> {
          c.delivery().ack();
          if (c.delivery().event().time().isBefore(recoveredAt)) {
            // held while this incarnation recovered (sent to the subscription before the restart): the
            // monitors were asked for the current status instead
            log.debug("msc: a health event from before the recovery ignored ({})", c.delivery().event().payload());
          } else if (c.delivery().event().payload() instanceof HealthStatusChanged h && h.status() != health) {
            log.info("msc: health is now {}{}, evaluating", h.status(), h.reasons().isEmpty() ? "" : " (" + String.join("; ", h.reasons()) + ")");
            health = h.status();
            criticalAskedAt = null; // a change seen happening stands
            healthEvents++;
            analyse();
          }
          return Effect().noReply();
        })
        .onCommand(SetOverride.class, this::onSetOverride)
        .onCommand(ClearOverride.class, (s, c) -> {
          if (s.override() == null) return Effect().reply(c.replyTo(), new OverrideRefused("no override is set"));
          if (activeOverride(s) == null) {
            // expired: the status already shows none, so clearing it is not a change (it answered 200 with it);
            // evaluated now all the same, in case the policy still has the override's mode
            analyse();
            return Effect().reply(c.replyTo(), new OverrideRefused("no override is set (the latest, " + s.override().mode() + " by "
                + s.override().by() + ", expired at " + s.override().expiresAt() + ")"));
          }
          RiskModeDecider.Override was = s.override();
          OverrideCleared cleared = new OverrideCleared(c.by(), c.reason(), Instant.now());
          String unjournalable = Journalable.refusal(ctx.getSystem(), cleared, log, "msc", c.by());
          if (unjournalable != null) return Effect().reply(c.replyTo(), new OverrideRefused(unjournalable));
          return Effect().persist(cleared)
              .thenRun(st -> {
                log.info("msc: override {} cleared by {}: {}", was.mode(), c.by(), c.reason());
                analyse();
              })
              .thenReply(c.replyTo(), st -> new OverrideAccepted(was));
        })
        .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), new Status(s.decider().mode(), s.decider().since(),
            s.analysis(), s.assessment(), health, activeOverride(s), settings.autoAdjust(), pendingWrite, s.evaluations(),
            s.recent(), lastSequenceNumber(ctx), criticalAskedAt)))
        .onCommand(OverrideChecked.class, (s, c) -> {
          writing = false;
          if (c.error() != null) {
            log.warn("msc: could not read the policy to hold the override ({}); trying at the next evaluation", c.error());
          } else if (c.policyMode() != c.override().mode() && c.override().equals(activeOverride(s))) {
            pendingWrite = c.override().mode();
            write("override by " + c.override().by() + ": " + c.override().reason());
          }
          return Effect().noReply();
        })
        .onCommand(ModeChecked.class, (s, c) -> {
          writing = false;
          if (c.error() != null) {
            log.warn("msc: could not read the policy to set the risk mode to {} ({}); retrying at the next evaluation", c.mode(),
                c.error());
          } else if (pendingWrite != c.mode()) {
            writePending(); // the mode wanted changed while the policy was read: that one, read again
          } else if (c.policy().policy().riskMode() == c.mode()) {
            // Setting a mode applies its preset limits: writing the mode the policy is in already would
            // undo the limits an operator set in it (an override of the policy's own mode did).
            pendingWrite = null;
            conflicts = 0;
            log.info("msc: policy already in {} (version {}): not written again, its limits stay", c.mode(), c.policy().version());
          } else {
            writing = true;
            set(c.mode(), c.why(), c.policy().version());
          }
          return Effect().noReply();
        })
        .onCommand(PolicyWritten.class, (s, c) -> {
          writing = false;
          if (c.ok()) {
            conflicts = 0;
            if (pendingWrite == c.mode()) pendingWrite = null;
            // an override re-asserted at every evaluation: only a change is worth a line
            if (c.changed()) log.info("msc: policy store {}", c.outcome());
            else log.debug("msc: policy store {}", c.outcome());
            writePending(); // a mode wanted since the write started
          } else if (c.conflict() && conflicts < 3) {
            conflicts++;
            log.info("msc: the policy changed as MSC set the risk mode to {}; reading it again", c.mode());
            writePending();
          } else {
            conflicts = 0;
            log.warn("msc: could not set the risk mode to {} ({}); retrying at the next evaluation", c.mode(), c.outcome());
          }
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<Event, State> onSetOverride(State s, SetOverride c) {
    String problem = null;
    if (c.mode() == null) problem = "mode is required";
    else if (c.by() == null || c.by().isBlank()) problem = "who sets the override is required";
    else if (c.reason() == null || c.reason().isBlank()) problem = "a reason is required";
    else if (Change.characters(c.reason()) > Change.MAX_REASON_LENGTH) problem = "reason longer than " + Change.MAX_REASON_LENGTH;
    else if (c.expiresAt() == null || !c.expiresAt().isAfter(Instant.now())) problem = "expiry must be in the future";
    if (problem != null) return Effect().reply(c.replyTo(), new OverrideRefused(problem));
    RiskModeDecider.Override o = new RiskModeDecider.Override(c.mode(), c.by(), c.reason(), c.expiresAt());
    OverrideSet set = new OverrideSet(o, Instant.now());
    String unjournalable = Journalable.refusal(ctx.getSystem(), set, log, "msc", c.by());
    if (unjournalable != null) return Effect().reply(c.replyTo(), new OverrideRefused(unjournalable));
    return Effect().persist(set)
        .thenRun(st -> {
          log.info("msc: override {} by {} until {}: {}", o.mode(), o.by(), o.expiresAt(), o.reason());
          analyse();
          evaluateAtExpiry(o);
        })
        .thenReply(c.replyTo(), st -> new OverrideAccepted(o));
  }

  /**
   * Whether a CRITICAL the monitors said when asked still waits for its confirmation: true at the
   * first such answer (which starts the wait and schedules the second ask) and until the wait is
   * over; false once an answer comes {@code criticalConfirm} after the first.
   */
  private boolean unconfirmed() {
    Instant now = Instant.now();
    if (criticalAskedAt == null) criticalAskedAt = now;
    if (!now.isBefore(criticalAskedAt.plus(settings.criticalConfirm()))) return false;
    if (!timers.isTimerActive(ConfirmHealth.INSTANCE)) {
      timers.startSingleTimer(ConfirmHealth.INSTANCE, ConfirmHealth.INSTANCE, Duration.between(now, criticalAskedAt.plus(settings.criticalConfirm())));
    }
    return true;
  }

  /**
   * An evaluation just after the override expires, so that MSC's own decision resumes from then (its
   * confirmations to leave the override's mode counted from then), not from the next scheduled
   * evaluation, up to {@code update-interval} later.
   */
  private void evaluateAtExpiry(RiskModeDecider.Override o) {
    Duration left = Duration.between(Instant.now(), o.expiresAt()).plusMillis(50);
    timers.startSingleTimer(OVERRIDE_EXPIRY, Evaluate.INSTANCE, left.isNegative() ? Duration.ZERO : left);
  }

  private static final String OVERRIDE_EXPIRY = "override-expiry";

  private static RiskModeDecider.Override activeOverride(State s) {
    return s.override() != null && Instant.now().isBefore(s.override().expiresAt()) ? s.override() : null;
  }

  /**
   * Asks every node's health monitor (through the receptionist) for its current status; the worst of
   * those that answer comes back as {@link HealthNow} (one refresh at a time).
   */
  private void refreshHealth() {
    if (refreshing) return;
    refreshing = true;
    long eventsBefore = healthEvents;
    var system = ctx.getSystem();
    var ec = ctx.getExecutionContext();
    CompletionStage<akka.actor.typed.receptionist.Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
        rt -> akka.actor.typed.receptionist.Receptionist.find(HealthMonitor.KEY, rt), settings.askTimeout(), system.scheduler());
    CompletableFuture<HealthNow> worst = Futures.on(listing, ec).thenCompose(l -> {
      List<CompletableFuture<HealthStatus>> each = new ArrayList<>();
      for (ActorRef<HealthMonitor.Command> m : l.getServiceInstances(HealthMonitor.KEY)) {
        each.add(Futures.on(AskPattern.<HealthMonitor.Command, HealthMonitor.Health>ask(m, HealthMonitor.GetHealth::new,
            settings.askTimeout(), system.scheduler()), ec).handle((h, err) -> h == null ? null : h.status()));
      }
      return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
        HealthStatus w = HealthStatus.HEALTHY;
        int answered = 0;
        for (CompletableFuture<HealthStatus> f : each) {
          HealthStatus st = f.join();
          if (st == null) continue;
          answered++;
          if (st.compareTo(w) > 0) w = st;
        }
        return new HealthNow(w, answered, each.isEmpty() ? "none registered" : null, eventsBefore);
      });
    });
    ctx.pipeToSelf(worst, (h, err) -> err != null ? new HealthNow(HealthStatus.HEALTHY, 0, err.toString(), eventsBefore) : h);
  }

  /** Asks the rankers and the feed, then evaluates (one analysis at a time). */
  private void analyse() {
    if (analysing) return;
    analysing = true;
    var system = ctx.getSystem();
    var ec = ctx.getExecutionContext();
    CompletionStage<RankingAggregator.AllScores> scores =
        AskPattern.ask(aggregator, RankingAggregator.GetAllScores::new, settings.askTimeout(), system.scheduler());
    CompletionStage<EqualWeightIndex.Snapshot> index = feed == null
        ? CompletableFuture.completedFuture(EqualWeightIndex.Snapshot.EMPTY)
        : AskPattern.ask(feed, MarketFeed.GetMarketIndex::new, settings.askTimeout(), system.scheduler());
    ctx.pipeToSelf(Futures.on(scores, ec).thenCombine(Futures.on(index, ec),
            (sc, ix) -> MarketAnalysis.of(sc.scores(), ix, Instant.now())),
        (a, err) -> err != null ? new Analysed(null, err.getMessage()) : new Analysed(a, null));
  }

  private ReplyEffect<Event, State> onAnalysed(State s, Analysed c) {
    analysing = false;
    if (c.analysis() == null) {
      log.warn("msc: no analysis this time: {}", c.error());
      return Effect().noReply();
    }
    Instant now = Instant.now();
    RegimeClassifier.Assessment a = classifier.classify(c.analysis());
    RiskModeDecider.Decision d = decider.decide(s.decider(), a, health, activeOverride(s), now);
    Evaluated e = new Evaluated(c.analysis(), a, health, d.state(), d.mode(), d.changed(), d.emergency(), d.reason(), now);
    boolean regimeChanged = s.assessment() == null || s.assessment().regime() != a.regime();
    return Effect().persist(e)
        .thenRun(st -> {
          if (regimeChanged) log.info("msc: regime {} (confidence {}): {}", a.regime(), String.format("%.2f", a.confidence()),
              String.join("; ", a.reasons()));
          if (d.changed()) {
            if (settings.autoAdjust()) {
              log.info("msc: risk mode {}", d.reason());
              pendingWrite = d.mode();
            } else {
              log.info("msc: advice (auto-adjust off, policy not changed): risk mode {}", d.reason());
            }
          }
          RiskModeDecider.Override held = activeOverride(st);
          if (pendingWrite != null && settings.autoAdjust()) {
            write(d.changed() ? d.reason() : "retry: " + d.reason());
          } else if (held != null && settings.autoAdjust()) {
            // An override holds its mode in the policy, whatever MSC decided before it and whoever
            // changed the policy since: without this, an override of the mode MSC was already in
            // never reached the policy. Written only when the policy's mode differs (setting a mode
            // applies its preset limits, which would undo limits an operator set meanwhile).
            holdOverride(held);
          }
        })
        .thenNoReply();
  }

  /** Writes the override's mode when the Policy Store's mode differs from it. */
  private void holdOverride(RiskModeDecider.Override held) {
    if (writing || policyStore == null) return;
    writing = true;
    ctx.ask(PolicyStore.PolicyView.class, policyStore, settings.askTimeout(), PolicyStore.Get::new,
        (view, err) -> new OverrideChecked(held, view == null ? null : view.policy().riskMode(), err == null ? null : err.getMessage()));
  }

  /** Sets the policy's risk mode to {@link #pendingWrite} for this reason ({@link #writePending}). */
  private void write(String reason) {
    pendingWhy = Change.cut(reason, Change.MAX_REASON_LENGTH); // never half a character: it could not be journaled
    writePending();
  }

  /**
   * Reads the policy, then sets its risk mode to {@link #pendingWrite} unless it is in it already
   * ({@link ModeChecked}); one write at a time, and the mode wanted when each step answers is the one
   * pursued (a newer one is read and written at once).
   */
  private void writePending() {
    if (writing || policyStore == null || pendingWrite == null) return;
    writing = true;
    RiskMode mode = pendingWrite;
    String why = pendingWhy == null ? "risk mode " + mode : pendingWhy;
    ctx.ask(PolicyStore.PolicyView.class, policyStore, settings.askTimeout(), PolicyStore.Get::new,
        (view, err) -> new ModeChecked(mode, why, view, err == null ? null : err.getMessage()));
  }

  /**
   * The write itself, expecting the version read (a change made meanwhile is refused, and the policy
   * read again at once).
   */
  private void set(RiskMode mode, String why, long version) {
    ctx.ask(PolicyStore.Reply.class, policyStore, settings.askTimeout(),
        rt -> new PolicyStore.SetRiskMode(mode, Change.by(ACTOR, why).expecting(version), rt),
        (r, err) -> {
          if (err != null) return new PolicyWritten(mode, err.getMessage(), false, false, false);
          if (r instanceof PolicyStore.Accepted acc) {
            return new PolicyWritten(mode, (acc.changed() ? "set " : "already in ") + mode + " (policy version "
                + acc.policy().version() + ")", true, acc.changed(), false);
          }
          boolean conflict = r instanceof PolicyStore.Rejected rej && rej.code() == PolicyStore.RejectionCode.VERSION_CONFLICT;
          return new PolicyWritten(mode, "refused: " + r, false, false, conflict);
        });
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Evaluated.class, (s, e) -> s.evaluated(e))
        .onEvent(OverrideSet.class, (s, e) -> s.withOverride(e.override()))
        .onEvent(OverrideCleared.class, (s, e) -> s.withOverride(null))
        .build();
  }
}
