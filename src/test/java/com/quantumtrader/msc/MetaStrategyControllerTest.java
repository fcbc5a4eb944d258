package com.quantumtrader.msc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.HealthStatusChanged;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.market.EqualWeightIndex;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.ranker.RankingAggregator;
import com.quantumtrader.ranker.SymbolScore;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The Meta Strategy Controller as an actor, with a real Policy Store on the H2 journal and the
 * rankers and feed replaced by actors that answer with constructed market states.
 */
public class MetaStrategyControllerTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static Config config;
  private static ActorTestKit kit;

  // A fresh journal per test: the Policy Store has one persistence id.
  @Before
  public void start() throws Exception {
    config = TestNodes.h2(Files.createTempDirectory("qt-msc-"), Map.of());
    kit = ActorTestKit.create("QuantumTrader", config);
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  /** A market: these scores and this index, changeable while the test runs. */
  private static final class FakeMarket {
    final AtomicReference<List<SymbolScore>> scores = new AtomicReference<>(List.of());
    final AtomicReference<EqualWeightIndex.Snapshot> index = new AtomicReference<>(EqualWeightIndex.Snapshot.EMPTY);
    final ActorRef<RankingAggregator.Command> aggregator = kit.spawn(Behaviors.receive(RankingAggregator.Command.class)
        .onMessage(RankingAggregator.GetAllScores.class, m -> {
          m.replyTo().tell(new RankingAggregator.AllScores(scores.get()));
          return Behaviors.same();
        }).build());
    final ActorRef<MarketFeed.Command> feed = kit.spawn(Behaviors.receive(MarketFeed.Command.class)
        .onMessage(MarketFeed.GetMarketIndex.class, m -> {
          m.replyTo().tell(index.get());
          return Behaviors.same();
        }).build());

    void set(int symbols, double shareUp, double trend, double indexVol, double drawdown) {
      List<SymbolScore> l = new ArrayList<>();
      for (int i = 0; i < symbols; i++) {
        double t = i < shareUp * symbols ? trend : -trend;
        l.add(new SymbolScore("S" + i, t, 0.5, 0.5, 0, 0.1, 0.5, 1e7, 500, 0));
      }
      scores.set(l);
      index.set(new EqualWeightIndex.Snapshot("1h", symbols, 500, 1 - drawdown, indexVol, drawdown, 0, 0));
    }
  }

  private static MetaStrategyController.Settings settings(boolean autoAdjust, Duration dwell) {
    return new MetaStrategyController.Settings(Duration.ofHours(1), autoAdjust, RegimeClassifier.Thresholds.defaults(),
        new RiskModeDecider.Rules(0.6, 2, 3, dwell), T, Duration.ofSeconds(1));
  }

  private static ActorRef<PolicyStore.Command> policyStore() {
    return kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
  }

  private static PolicyStore.PolicyView policy(ActorRef<PolicyStore.Command> store) {
    TestProbe<PolicyStore.PolicyView> p = kit.createTestProbe();
    store.tell(new PolicyStore.Get(p.getRef()));
    return p.receiveMessage(T);
  }

  private static MetaStrategyController.Status status(ActorRef<MetaStrategyController.Command> msc) {
    TestProbe<MetaStrategyController.Status> p = kit.createTestProbe();
    msc.tell(new MetaStrategyController.GetStatus(p.getRef()));
    return p.receiveMessage(T);
  }

  /** MSC over a quiet, ranging market (it decides NORMAL), auto-adjusting, after its first evaluation. */
  private static ActorRef<MetaStrategyController.Command> quiet(FakeMarket m, ActorRef<PolicyStore.Command> store, String id) {
    m.set(40, 0.5, 0.05, 0.3, 0.01);
    ActorRef<MetaStrategyController.Command> msc = kit.spawn(MetaStrategyController.create(settings(true, Duration.ZERO),
        m.aggregator, m.feed, store, RiskMode.NORMAL, id));
    evaluateAndWait(msc, 0);
    return msc;
  }

  /** An operator's change to the policy, accepted. */
  private static void byHand(ActorRef<PolicyStore.Command> store,
      java.util.function.Function<ActorRef<PolicyStore.Reply>, PolicyStore.Command> change) {
    TestProbe<PolicyStore.Reply> pr = kit.createTestProbe();
    store.tell(change.apply(pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);
  }

  private static void evaluateAndWait(ActorRef<MetaStrategyController.Command> msc, long evaluationsBefore) {
    msc.tell(MetaStrategyController.Evaluate.INSTANCE);
    kit.createTestProbe().awaitAssert(T, () -> {
      assertTrue(status(msc).evaluations() > evaluationsBefore);
      return null;
    });
  }

  @Test
  public void aCrashSetsDefensiveThroughThePolicyStoreAsMscWithTheAnalysisAsReason() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    assertEquals(RiskMode.NORMAL, policy(store).policy().riskMode());
    ActorRef<MetaStrategyController.Command> msc = kit.spawn(MetaStrategyController.create(settings(true, Duration.ofHours(1)),
        m.aggregator, m.feed, store, RiskMode.NORMAL, "msc-crash"));
    m.set(40, 0.1, 0.5, 1.5, 0.2);
    evaluateAndWait(msc, 0);
    kit.createTestProbe().awaitAssert(T, () -> {
      PolicyStore.PolicyView v = policy(store);
      assertEquals(RiskMode.DEFENSIVE, v.policy().riskMode());
      assertEquals("MSC_AI", v.updatedBy());
      assertTrue(v.reason(), v.reason().contains("emergency: crisis regime") && v.reason().contains("drawdown 20.0%"));
      return null;
    });
    MetaStrategyController.Status s = status(msc);
    assertEquals(Regime.CRISIS, s.assessment().regime());
    assertTrue(s.recent().get(s.recent().size() - 1).emergency());
  }

  @Test
  public void withAutoAdjustOffItAdvisesAndLeavesThePolicyAlone() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    long version = policy(store).version();
    ActorRef<MetaStrategyController.Command> msc = kit.spawn(MetaStrategyController.create(settings(false, Duration.ZERO),
        m.aggregator, m.feed, store, RiskMode.NORMAL, "msc-advice"));
    m.set(40, 0.1, 0.5, 1.5, 0.2);
    evaluateAndWait(msc, 0);
    assertEquals(RiskMode.DEFENSIVE, status(msc).mode());
    assertEquals(version, policy(store).version());
    assertEquals(RiskMode.NORMAL, policy(store).policy().riskMode());
  }

  /**
   * An override that expires is evaluated then (MSC's own decision resumes from its expiry, not from
   * the next evaluation, an hour apart here); clearing it afterwards is refused (it answered as
   * cleared, and journaled it).
   */
  @Test
  public void anExpiredOverrideIsEvaluatedAtItsExpiryAndCannotBeCleared() throws Exception {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    ActorRef<MetaStrategyController.Command> msc = quiet(m, store, "msc-expired");
    TestProbe<MetaStrategyController.OverrideReply> r = kit.createTestProbe();
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.DEFENSIVE, "alice", "a short one", Instant.now().plusMillis(1500), r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideAccepted);
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(1), () -> {
      assertEquals(RiskMode.DEFENSIVE, policy(store).policy().riskMode());
      return null;
    });
    long before = status(msc).evaluations();
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertTrue("no evaluation at the override's expiry", status(msc).evaluations() > before);
      return null;
    });
    assertNull(status(msc).override());
    msc.tell(new MetaStrategyController.ClearOverride("alice", "too late", r.getRef()));
    String refusal = ((MetaStrategyController.OverrideRefused) r.receiveMessage(T)).reason();
    assertTrue(refusal, refusal.startsWith("no override is set (the latest, DEFENSIVE by alice, expired at "));
  }

  @Test
  public void theOverrideWinsUntilClearedAndTheDecisionLogSurvivesARestart() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    ActorRef<MetaStrategyController.Command> msc = quiet(m, store, "msc-override");
    TestProbe<MetaStrategyController.OverrideReply> r = kit.createTestProbe();
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.DEFENSIVE, "alice", "earnings week", Instant.now().minusSeconds(1),
        r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideRefused);
    // a text the journal could not take (a lone UTF-16 surrogate): refused with the reason, not left to the
    // journal's rejection, which restarted the controller with the caller unanswered
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.DEFENSIVE, "alice", "earnings \ud800", Instant.now().plusSeconds(3600),
        r.getRef()));
    String refusal = ((MetaStrategyController.OverrideRefused) r.receiveMessage(T)).reason();
    assertTrue(refusal, refusal.startsWith("cannot be journaled: "));
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.DEFENSIVE, "alice", "earnings week", Instant.now().plusSeconds(3600),
        r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideAccepted);
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(RiskMode.DEFENSIVE, policy(store).policy().riskMode());
      assertTrue(policy(store).reason().contains("operator override by alice"));
      return null;
    });
    msc.tell(new MetaStrategyController.ClearOverride("alice\udc00", "earnings done", r.getRef()));
    refusal = ((MetaStrategyController.OverrideRefused) r.receiveMessage(T)).reason();
    assertTrue(refusal, refusal.startsWith("cannot be journaled: "));
    msc.tell(new MetaStrategyController.ClearOverride("alice", "earnings done", r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideAccepted);
    long before = status(msc).evaluations();
    assertNull(status(msc).override());

    // Restart: the log and the decider's state come back from the journal.
    kit.stop(msc);
    ActorRef<MetaStrategyController.Command> again = kit.spawn(MetaStrategyController.create(settings(true, Duration.ZERO),
        m.aggregator, m.feed, store, RiskMode.NORMAL, "msc-override"));
    MetaStrategyController.Status s = status(again);
    assertTrue(s.evaluations() >= before);
    assertFalse(s.recent().isEmpty());
    assertNotNull(s.analysis());
  }

  /**
   * An override of the mode MSC had already decided is written too (MSC's decision did not change,
   * but an operator had set the policy's mode by hand), and it holds: set by hand again while the
   * override lasts, the mode is written back at the next evaluation.
   */
  @Test
  public void anOverrideOfTheModeMscAlreadyDecidedStillSetsAndHoldsThePolicy() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    ActorRef<MetaStrategyController.Command> msc = quiet(m, store, "msc-hold");
    assertEquals(RiskMode.NORMAL, status(msc).mode());
    byHand(store, rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, com.quantumtrader.policy.Change.by("otto", "CPI at 14:30"), rt));

    TestProbe<MetaStrategyController.OverrideReply> r = kit.createTestProbe();
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.NORMAL, "alice", "hold NORMAL", Instant.now().plusSeconds(3600),
        r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideAccepted);
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(RiskMode.NORMAL, policy(store).policy().riskMode());
      assertEquals("MSC_AI", policy(store).updatedBy());
      assertTrue(policy(store).reason(), policy(store).reason().contains("alice"));
      return null;
    });

    byHand(store, rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, com.quantumtrader.policy.Change.by("otto", "by hand"), rt));
    evaluateAndWait(msc, status(msc).evaluations());
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals("the override holds", RiskMode.NORMAL, policy(store).policy().riskMode());
      return null;
    });

    // limits an operator sets while the override holds its mode stay: the mode is not written again
    byHand(store, rt -> new PolicyStore.ChangeLimits(null, null, null, 0.5, com.quantumtrader.policy.Change.by("otto", "halve exposure"), rt));
    long version = policy(store).version();
    evaluateAndWait(msc, status(msc).evaluations());
    evaluateAndWait(msc, status(msc).evaluations());
    assertEquals(version, policy(store).version());
    assertEquals(0.5, policy(store).policy().limits().maxGrossExposure(), 0);
  }

  /**
   * MSC does not write a mode the policy is in already: setting a mode applies its preset limits, so
   * an override of the policy's own mode (MSC having decided another) undid the limits an operator
   * had set in it.
   */
  @Test
  public void anOverrideOfThePolicysOwnModeLeavesTheOperatorsLimits() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    ActorRef<MetaStrategyController.Command> msc = quiet(m, store, "msc-same-mode");
    assertEquals(RiskMode.NORMAL, status(msc).mode());
    byHand(store, rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, com.quantumtrader.policy.Change.by("otto", "trend day"), rt));
    byHand(store, rt -> new PolicyStore.ChangeLimits(0.6, null, 9, null, com.quantumtrader.policy.Change.by("otto", "fewer, surer trades"), rt));
    PolicyStore.PolicyView tuned = policy(store);

    TestProbe<MetaStrategyController.OverrideReply> r = kit.createTestProbe();
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.AGGRESSIVE, "alice", "hold AGGRESSIVE", Instant.now().plusSeconds(3600),
        r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof MetaStrategyController.OverrideAccepted);
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(RiskMode.AGGRESSIVE, status(msc).mode());
      assertNull("nothing left to write", status(msc).pendingWrite());
      return null;
    });
    evaluateAndWait(msc, status(msc).evaluations());
    assertEquals(tuned, policy(store));
    assertEquals(9, policy(store).policy().limits().maxOpenPositions());
  }

  /**
   * The mode written is the one wanted when the policy's answer comes: an override set and cleared,
   * then a CRITICAL, while MSC was still reading the policy for the override's write, left the policy
   * AGGRESSIVE on a CRITICAL node until the next evaluation (a minute on a node).
   */
  @Test
  public void aModeWantedWhileAnotherIsBeingWrittenIsWrittenAtOnce() throws Exception {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    m.set(40, 0.5, 0.05, 0.3, 0.01); // a quiet, ranging market: NORMAL
    java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean(false);
    ActorRef<PolicyStore.Command> slowReads = kit.spawn(Behaviors.<PolicyStore.Command>setup(ctx -> Behaviors.receiveMessage(c -> {
      if (c instanceof PolicyStore.Get && slow.get()) ctx.scheduleOnce(Duration.ofMillis(1500), store, c);
      else store.tell(c);
      return Behaviors.same();
    })));
    ActorRef<MetaStrategyController.Command> msc = kit.spawn(MetaStrategyController.create(settings(true, Duration.ZERO),
        m.aggregator, m.feed, slowReads, RiskMode.NORMAL, "msc-race"));
    evaluateAndWait(msc, 0);
    slow.set(true);
    TestProbe<MetaStrategyController.OverrideReply> r = kit.createTestProbe();
    msc.tell(new MetaStrategyController.SetOverride(RiskMode.AGGRESSIVE, "alice", "x", Instant.now().plusSeconds(3600), r.getRef()));
    r.receiveMessage(T);
    Thread.sleep(200); // the AGGRESSIVE write is reading the policy
    msc.tell(new MetaStrategyController.ClearOverride("alice", "oops", r.getRef()));
    r.receiveMessage(T);
    EventBus.get(kit.system()).publish("health-monitor", new HealthStatusChanged(HealthStatus.CRITICAL, HealthStatus.HEALTHY,
        List.of("journal: 3 probes failed")));
    // no evaluation comes (an hour apart here): DEFENSIVE reaches the policy after the reads in flight
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(8), () -> {
      assertEquals(RiskMode.DEFENSIVE, policy(store).policy().riskMode());
      assertNull(status(msc).pendingWrite());
      return null;
    });
  }

  @Test
  public void criticalHealthOnTheBusForcesDefensiveAtOnce() {
    FakeMarket m = new FakeMarket();
    ActorRef<PolicyStore.Command> store = policyStore();
    m.set(40, 0.9, 0.6, 0.3, 0.0); // trending up
    ActorRef<MetaStrategyController.Command> msc = kit.spawn(MetaStrategyController.create(settings(false, Duration.ofHours(1)),
        m.aggregator, m.feed, store, RiskMode.NORMAL, "msc-health"));
    evaluateAndWait(msc, 0);
    assertEquals(RiskMode.NORMAL, status(msc).mode()); // needs 3 confirmations to raise risk
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new HealthStatusChanged(HealthStatus.CRITICAL, HealthStatus.HEALTHY,
          List.of("journal: 3 probes failed")));
      assertEquals(RiskMode.DEFENSIVE, status(msc).mode());
      return null;
    });
    assertTrue(status(msc).recent().get(status(msc).recent().size() - 1).reason().contains("health is CRITICAL"));
  }
}
