package com.quantumtrader.msc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.HealthStatusChanged;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.EqualWeightIndex;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.ranker.RankingAggregator;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The health MSC acts on is the cluster's current one: after MSC restarts on a journal failure it
 * still hears the bus (the restart stops its children, the subscription among them), and a health
 * journaled before a restart of the node is checked with the health monitors rather than believed.
 * Before, a node that had been CRITICAL during a database outage stayed CRITICAL to MSC for good,
 * and MSC forced DEFENSIVE on a healthy cluster.
 */
public class MetaStrategyControllerHealthTest {
  private static final Duration T = Duration.ofSeconds(10);
  /** How long MSC waits to act on a CRITICAL it asked for (10 s on a node). */
  private static final Duration CONFIRM = Duration.ofSeconds(2);
  private ActorTestKit kit;
  private PersistenceTestKit journal;
  /** What the one health monitor of this test answers. */
  private final AtomicReference<HealthStatus> monitor = new AtomicReference<>(HealthStatus.HEALTHY);

  @Before
  public void start() throws Exception {
    // the persistence testkit's journal, which fails a write when told to
    kit = ActorTestKit.create("QuantumTrader", TestNodes.localOnPersistenceTestKit());
    journal = PersistenceTestKit.create(kit.system());
    ActorRef<HealthMonitor.Command> fake = kit.spawn(Behaviors.receive(HealthMonitor.Command.class)
        .onMessage(HealthMonitor.GetHealth.class, m -> {
          m.replyTo().tell(new HealthMonitor.Health(monitor.get(), List.of(), null, null, null, null));
          return Behaviors.same();
        }).build());
    kit.system().receptionist().tell(Receptionist.register(HealthMonitor.KEY, fake));
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  private ActorRef<MetaStrategyController.Command> msc() {
    return msc(CONFIRM);
  }

  private ActorRef<MetaStrategyController.Command> msc(Duration confirm) {
    ActorRef<RankingAggregator.Command> aggregator = kit.spawn(Behaviors.receive(RankingAggregator.Command.class)
        .onMessage(RankingAggregator.GetAllScores.class, m -> {
          m.replyTo().tell(new RankingAggregator.AllScores(List.of()));
          return Behaviors.same();
        }).build());
    ActorRef<MarketFeed.Command> feed = kit.spawn(Behaviors.receive(MarketFeed.Command.class)
        .onMessage(MarketFeed.GetMarketIndex.class, m -> {
          m.replyTo().tell(EqualWeightIndex.Snapshot.EMPTY);
          return Behaviors.same();
        }).build());
    ActorRef<PolicyStore.Command> policy = kit.createTestProbe(PolicyStore.Command.class).getRef(); // advice only: never asked
    return kit.spawn(MetaStrategyController.create(new MetaStrategyController.Settings(Duration.ofHours(1), false,
        RegimeClassifier.Thresholds.defaults(), new RiskModeDecider.Rules(0.6, 2, 3, Duration.ZERO), T, confirm), aggregator, feed, policy,
        RiskMode.NORMAL, "msc-health"));
  }

  private void publish(HealthStatus status, HealthStatus previous) {
    EventBus.get(kit.system()).publish("health-monitor", new HealthStatusChanged(status, previous, List.of("test")));
  }

  private HealthStatus health(ActorRef<MetaStrategyController.Command> msc) {
    TestProbe<MetaStrategyController.Status> p = kit.createTestProbe();
    msc.tell(new MetaStrategyController.GetStatus(p.getRef()));
    return p.receiveMessage(T).health();
  }

  private void awaitHealth(ActorRef<MetaStrategyController.Command> msc, HealthStatus expected) {
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(expected, health(msc));
      return null;
    });
  }

  /** Publishes until MSC has it: its subscription is made once its journal is recovered. */
  private void publishUntilHeard(ActorRef<MetaStrategyController.Command> msc, HealthStatus status, HealthStatus previous) {
    kit.createTestProbe().awaitAssert(T, Duration.ofMillis(200), () -> {
      publish(status, previous);
      assertEquals(status, health(msc));
      return null;
    });
  }

  @Test
  public void afterARestartOnAJournalFailureMscStillHearsTheBus() {
    ActorRef<MetaStrategyController.Command> msc = msc();
    publishUntilHeard(msc, HealthStatus.DEGRADED, HealthStatus.HEALTHY);
    monitor.set(HealthStatus.CRITICAL);
    journal.failNextPersisted(); // the evaluation this change starts fails to persist: MSC restarts
    publish(HealthStatus.CRITICAL, HealthStatus.DEGRADED);
    awaitHealth(msc, HealthStatus.CRITICAL); // asked of the monitor after the restart
    monitor.set(HealthStatus.HEALTHY);
    publish(HealthStatus.HEALTHY, HealthStatus.CRITICAL);
    awaitHealth(msc, HealthStatus.HEALTHY); // heard on the bus by the restarted MSC
  }

  /**
   * A health event from before MSC's recovery (held while it restarted) is stale: the monitors were
   * asked instead. Before, a CRITICAL held through an outage was acted on after it.
   */
  @Test
  public void aHealthEventFromBeforeTheRecoveryIsIgnored() throws Exception {
    ActorRef<MetaStrategyController.Command> msc = msc();
    publishUntilHeard(msc, HealthStatus.HEALTHY, HealthStatus.DEGRADED); // subscribed
    EventBus.get(kit.system()).publish(new com.quantumtrader.bus.EventEnvelope("old", java.time.Instant.now().minusSeconds(60),
        "health-monitor", new HealthStatusChanged(HealthStatus.CRITICAL, HealthStatus.HEALTHY, List.of("an hour ago"))));
    Thread.sleep(1_000);
    assertEquals(HealthStatus.HEALTHY, health(msc));
    // the same event, fresh, is taken
    publish(HealthStatus.CRITICAL, HealthStatus.HEALTHY);
    awaitHealth(msc, HealthStatus.CRITICAL);
  }

  /**
   * A CRITICAL the monitors say when asked, not seen happening on the bus, is acted on only if it
   * still holds {@code criticalConfirm} later. A helper's node: MSC, back from a database outage a few
   * seconds before the health monitor's probe succeeded again, read its CRITICAL and forced DEFENSIVE
   * on a node that was HEALTHY two seconds later.
   */
  @Test
  public void aCriticalReadFromTheMonitorsIsConfirmedBeforeItIsActedOn() throws Exception {
    monitor.set(HealthStatus.CRITICAL); // still failing its probe as MSC comes back
    ActorRef<MetaStrategyController.Command> msc = msc();
    Thread.sleep(CONFIRM.toMillis() / 2);
    assertEquals(HealthStatus.HEALTHY, health(msc));
    TestProbe<MetaStrategyController.Status> st = kit.createTestProbe();
    msc.tell(new MetaStrategyController.GetStatus(st.getRef()));
    org.junit.Assert.assertNotNull("the status says a CRITICAL waits for its confirmation", st.receiveMessage(T).criticalToConfirmSince());
    monitor.set(HealthStatus.HEALTHY); // the probe succeeds; nothing is published (the monitor saw no change yet)
    Thread.sleep(CONFIRM.toMillis() + 1_000);
    assertEquals("a CRITICAL gone before the second ask is never taken", HealthStatus.HEALTHY, health(msc));
    msc.tell(new MetaStrategyController.GetStatus(st.getRef()));
    org.junit.Assert.assertNull(st.receiveMessage(T).criticalToConfirmSince());
    kit.stop(msc);

    // a CRITICAL that holds is taken, after the confirmation
    monitor.set(HealthStatus.CRITICAL);
    long start = System.nanoTime();
    ActorRef<MetaStrategyController.Command> again = msc();
    awaitHealth(again, HealthStatus.CRITICAL);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue("taken after " + seconds + " s", seconds >= CONFIRM.toMillis() / 1000.0);
  }

  /** With {@code critical-confirm = 0s} a CRITICAL read from the monitors is acted on at once. */
  @Test
  public void withoutAConfirmationACriticalReadIsTakenAtOnce() {
    monitor.set(HealthStatus.CRITICAL);
    long start = System.nanoTime();
    ActorRef<MetaStrategyController.Command> msc = msc(Duration.ZERO);
    awaitHealth(msc, HealthStatus.CRITICAL);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue("taken after " + seconds + " s", seconds < CONFIRM.toMillis() / 1000.0);
  }

  /**
   * A CRITICAL waiting for its confirmation when MSC restarts on a journal failure is asked again
   * after the restart (which cancels timers): before, nothing asked until the next evaluation.
   */
  @Test
  public void aConfirmationUnderWayWhenMscRestartsIsNotLost() throws Exception {
    monitor.set(HealthStatus.CRITICAL);
    ActorRef<MetaStrategyController.Command> msc = msc();
    Thread.sleep(500); // the first read: CRITICAL, to be confirmed
    assertEquals(HealthStatus.HEALTHY, health(msc));
    journal.failNextPersisted();
    msc.tell(MetaStrategyController.Evaluate.INSTANCE); // its evaluation fails to persist: MSC restarts
    kit.createTestProbe().awaitAssert(CONFIRM.plus(Duration.ofSeconds(6)), () -> {
      assertEquals(HealthStatus.CRITICAL, health(msc));
      return null;
    });
  }

  @Test
  public void aHealthJournaledBeforeARestartIsCheckedWithTheMonitors() {
    ActorRef<MetaStrategyController.Command> msc = msc();
    monitor.set(HealthStatus.CRITICAL);
    publishUntilHeard(msc, HealthStatus.CRITICAL, HealthStatus.HEALTHY); // and an evaluation journaled with it
    kit.stop(msc);
    // the node came back healthy: its monitor says so, and publishes nothing (nothing changed for it)
    monitor.set(HealthStatus.HEALTHY);
    ActorRef<MetaStrategyController.Command> second = msc();
    awaitHealth(second, HealthStatus.HEALTHY);
    kit.stop(second);
    // and a monitor that is not healthy is believed
    monitor.set(HealthStatus.DEGRADED);
    awaitHealth(msc(), HealthStatus.DEGRADED);
  }
}
