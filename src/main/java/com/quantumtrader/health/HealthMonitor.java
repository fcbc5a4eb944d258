package com.quantumtrader.health;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.HealthStatusChanged;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.market.MarketFeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Checks this node every {@code check-interval}: writes through the journal ({@link JournalProbe}),
 * reads the cluster's reachability, asks the market feed for its status and reads the {@link
 * ComponentRegistry}, then lets {@link HealthRules} decide. When the status or the set of findings
 * changes it logs the change and publishes {@code health.status_changed} on the bus.
 *
 * <p>Nothing here blocks: the probe and the feed are asked with a timeout and answer through
 * messages; a check whose answers are still out when the next tick comes skips that tick.
 */
public final class HealthMonitor extends AbstractBehavior<HealthMonitor.Command> {

  public static final String SOURCE = "health-monitor";

  /** Every node's monitor, registered with the receptionist: whoever needs the cluster's current health asks them. */
  public static final akka.actor.typed.receptionist.ServiceKey<Command> KEY =
      akka.actor.typed.receptionist.ServiceKey.create(Command.class, "health-monitor");

  public sealed interface Command extends CborSerializable {}

  /** Replies with the node's current {@link Health}. */
  public record GetHealth(ActorRef<Health> replyTo) implements Command {}

  /**
   * @param observation what the latest check saw (null before the first check completed)
   * @param checkedAt when the latest check completed (null before)
   * @param since when the status or its findings last changed (the monitor's start at first)
   * @param lastPublished the latest event published on the bus (null when nothing changed yet)
   */
  public record Health(HealthStatus status, List<String> reasons, HealthObservation observation, Instant checkedAt,
      Instant since, HealthStatusChanged lastPublished) implements CborSerializable {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record ProbeAnswered(long latencyMs, String error) implements Command {}

  private record FeedAnswered(MarketFeed.Status status, String error) implements Command {}

  /**
   * The monitor of this node; {@code feed} is the market feed (its singleton proxy) or null when
   * the node runs without one.
   */
  public static Behavior<Command> create(HealthSettings settings, ActorRef<MarketFeed.Command> feed) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new HealthMonitor(ctx, timers, settings, feed)));
  }

  private final HealthSettings settings;
  private final ActorRef<MarketFeed.Command> feed;
  private final ActorRef<JournalProbe.Command> probe;
  private final Cluster cluster;
  private final ComponentRegistry registry;
  private final EventBus bus;
  private final FeedTracker feedTracker;

  // The check in flight: both answers are needed before the rules run.
  private boolean checking;
  private ProbeAnswered probeAnswer;
  private HealthObservation.Feed feedAnswer;

  private int probeFailures;
  private long lastLatencyMs;
  private HealthRules.Assessment current = new HealthRules.Assessment(HealthStatus.HEALTHY, List.of());
  private HealthObservation lastObservation;
  private Instant checkedAt;
  private Instant since = Instant.now();
  private HealthStatusChanged lastPublished;

  private HealthMonitor(ActorContext<Command> ctx, TimerScheduler<Command> timers, HealthSettings settings,
      ActorRef<MarketFeed.Command> feed) {
    super(ctx);
    this.settings = settings;
    this.feed = feed;
    this.cluster = Cluster.get(ctx.getSystem());
    this.registry = ComponentRegistry.get(ctx.getSystem());
    this.bus = EventBus.get(ctx.getSystem());
    this.feedTracker = new FeedTracker(settings.rejectRateWindow().toMillis());
    var address = cluster.selfMember().address();
    String hostPort = address.getHost().orElse("local") + ":" + address.getPort().orElse(0);
    // The probe restarts itself on journal failures; this covers anything else it might throw.
    this.probe = ctx.spawn(Behaviors.supervise(JournalProbe.create(hostPort))
        .onFailure(SupervisorStrategy.restartWithBackoff(JournalProbe.MIN_BACKOFF, JournalProbe.MAX_BACKOFF, 0.2)),
        "journal-probe");
    ctx.getSystem().receptionist().tell(akka.actor.typed.receptionist.Receptionist.register(KEY, ctx.getSelf()));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.checkInterval());
    ctx.getLog().info("health monitor: checking every {} ms (journal probe {}, feed {})", settings.checkInterval().toMillis(),
        JournalProbe.persistenceId(hostPort).id(), feed == null ? "none" : "watched");
    ctx.getSelf().tell(Tick.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(ProbeAnswered.class, this::onProbe)
        .onMessage(FeedAnswered.class, this::onFeed)
        .onMessage(GetHealth.class, this::onGetHealth)
        .build();
  }

  private Behavior<Command> onTick() {
    if (checking) return this; // the previous check is still waiting for an answer
    checking = true;
    probeAnswer = null;
    feedAnswer = null;
    getContext().ask(JournalProbe.Result.class, probe, settings.probeTimeout(), JournalProbe.Probe::new,
        (res, err) -> err == null ? new ProbeAnswered(res.latencyMs(), null) : new ProbeAnswered(-1, describe(err)));
    if (feed == null) {
      feedAnswer = HealthObservation.Feed.absent();
    } else {
      getContext().ask(MarketFeed.Status.class, feed, settings.probeTimeout(), MarketFeed.GetStatus::new,
          (res, err) -> err == null ? new FeedAnswered(res, null) : new FeedAnswered(null, describe(err)));
    }
    return this;
  }

  private Behavior<Command> onProbe(ProbeAnswered m) {
    if (m.error() == null) {
      probeFailures = 0;
      lastLatencyMs = m.latencyMs();
    } else {
      probeFailures++;
    }
    probeAnswer = m;
    return completeIfAnswered();
  }

  private Behavior<Command> onFeed(FeedAnswered m) {
    long now = System.currentTimeMillis();
    MarketFeed.Status s = m.status();
    feedAnswer = s == null
        ? feedTracker.silent(now, m.error())
        : feedTracker.answered(now, s.state(), s.barsDelivered(), s.barsUndelivered(), s.rejected(), s.error());
    return completeIfAnswered();
  }

  private Behavior<Command> completeIfAnswered() {
    if (!checking || probeAnswer == null || feedAnswer == null) return this;
    checking = false;
    HealthObservation o = new HealthObservation(
        new HealthObservation.Journal(lastLatencyMs, probeFailures, probeAnswer.error() == null, probeAnswer.error()),
        clusterView(), feedAnswer, components());
    lastObservation = o;
    checkedAt = Instant.now();
    HealthRules.Assessment next = HealthRules.evaluate(o, settings);
    if (next.status() != current.status() || !next.keys().equals(current.keys())) changed(next);
    else current = next; // same findings, fresher texts
    return this;
  }

  private void changed(HealthRules.Assessment next) {
    HealthStatus previous = current.status();
    boolean worse = next.status().compareTo(previous) > 0
        || (next.status() == previous && !current.keys().containsAll(next.keys()));
    String text = next.findings().isEmpty() ? "all checks pass" : String.join("; ", next.reasons());
    var log = getContext().getLog();
    if (!worse) log.info("health {} (was {}): {}", next.status(), previous, text);
    else if (next.status() == HealthStatus.CRITICAL) log.error("health {} (was {}): {}", next.status(), previous, text);
    else log.warn("health {} (was {}): {}", next.status(), previous, text);
    current = next;
    since = checkedAt;
    lastPublished = new HealthStatusChanged(next.status(), previous, next.reasons());
    bus.publish(SOURCE, lastPublished);
  }

  private Behavior<Command> onGetHealth(GetHealth m) {
    m.replyTo().tell(new Health(current.status(), current.reasons(), lastObservation, checkedAt, since, lastPublished));
    return this;
  }

  private HealthObservation.ClusterView clusterView() {
    var state = cluster.state();
    int up = 0;
    for (Member member : state.getMembers()) if (member.status() == MemberStatus.up()) up++;
    List<String> unreachable = new ArrayList<>();
    Set<Member> u = state.getUnreachable();
    for (Member member : u) unreachable.add(member.address().toString());
    unreachable.sort(null);
    return new HealthObservation.ClusterView(up, unreachable);
  }

  private List<HealthObservation.Component> components() {
    return registry.snapshot().stream()
        .map(c -> new HealthObservation.Component(c.name(), c.failing(), c.recentRestarts()))
        .toList();
  }

  private String describe(Throwable err) {
    if (err instanceof TimeoutException) return "no answer within " + settings.probeTimeout().toMillis() + " ms";
    String m = ConfigReader.oneLine(err);
    return m.length() > 200 ? com.quantumtrader.policy.Change.cut(m, 200) + " ..." : m; // never half a character: it could not be sent
  }
}
