package com.quantumtrader.policy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.TestKitJunitResource;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.PolicyUpdated;
import com.quantumtrader.policy.PolicyStore.Accepted;
import com.quantumtrader.policy.PolicyStore.Command;
import com.quantumtrader.policy.PolicyStore.Event;
import com.quantumtrader.policy.PolicyStore.Rejected;
import com.quantumtrader.policy.PolicyStore.RejectionCode;
import com.quantumtrader.policy.PolicyStore.Reply;
import com.quantumtrader.policy.PolicyStore.State;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Test;
import akka.actor.typed.ActorRef;

public class PolicyStoreTest {

  @ClassRule
  public static final TestKitJunitResource testKit =
      new TestKitJunitResource(
          ConfigFactory.parseString("quantum-trader.policy-store.snapshot-every = 2")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(TestNodes.local()));

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private final PolicySettings settings = PolicySettings.fromConfig(testKit.system().settings().config());
  private EventSourcedBehaviorTestKit<Command, Event, State> store;

  @Before
  public void setUp() {
    store = EventSourcedBehaviorTestKit.create(testKit.system(), PolicyStore.create(settings, () -> T0));
    store.clear();
  }

  private CommandResultWithReply<Command, Event, State, Reply> run(Function<ActorRef<Reply>, Command> cmd) {
    return store.runCommand(cmd);
  }

  private static Change ops(String why) {
    return Change.by("alice", why);
  }

  private Rejected rejected(CommandResultWithReply<Command, Event, State, Reply> r) {
    assertTrue("expected a rejection, got " + r.reply(), r.reply() instanceof Rejected);
    assertTrue("a rejection persists nothing", r.hasNoEvents());
    return (Rejected) r.reply();
  }

  @Test
  public void startsInConfiguredModeAtVersionZero() {
    var r = store.<PolicyStore.PolicyView>runCommand(PolicyStore.Get::new);
    assertEquals(0, r.reply().version());
    assertEquals(RiskMode.NORMAL, r.reply().policy().riskMode());
    assertEquals(settings.preset(RiskMode.NORMAL), r.reply().policy().limits());
  }

  /** Local backtests and evolve runs refuse entries as the NORMAL policy does: the same minimum as its preset here. */
  @Test
  public void backtestDefaultsUseTheNormalPresetsMinConfidence() {
    assertEquals(settings.preset(RiskMode.NORMAL).minConfidence(), com.quantumtrader.strategy.Backtester.Config.NORMAL_MIN_CONFIDENCE, 0);
  }

  /**
   * A change the journal could not take (a lone UTF-16 surrogate cannot be written as CBOR text) is
   * refused with the reason, and the store goes on: it is not left to the journal's rejection, which
   * restarts the store with the caller unanswered.
   */
  @Test
  public void aChangeThatCannotBeJournaledIsRefusedAndTheStoreGoesOn() {
    // a kit that does not check the command's own serialization (the command never leaves this node)
    var kit = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(), PolicyStore.create(settings, () -> T0),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(false));
    kit.clear();
    Rejected r = rejected(kit.runCommand(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, ops("spike \ud800"), rt)));
    assertEquals(PolicyStore.RejectionCode.INVALID, r.code());
    assertTrue(r.message(), r.message().startsWith("the change cannot be journaled: ") && r.message().endsWith("(field meta.reason)"));
    assertEquals(0, r.currentVersion());
    var ok = kit.<Reply>runCommand(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, ops("spike"), rt));
    assertTrue(ok.reply() instanceof Accepted);
    assertEquals(2, ((Accepted) ok.reply()).policy().version());
  }

  @Test
  public void firstChangeRecordsTheInitialPolicyAndAppliesThePreset() {
    var r = run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, ops("volatility spike"), rt));
    assertEquals(2, r.events().size());
    assertTrue(r.events().get(0) instanceof PolicyStore.PolicyInitialized);
    // the initial policy is the store's, not the first change's author's
    PolicyStore.ChangeMeta initial = r.events().get(0).meta();
    assertEquals(PolicyStore.SOURCE, initial.changedBy());
    assertEquals("the initial policy of the node's configuration", initial.reason());
    PolicyStore.RiskModeChanged changed = (PolicyStore.RiskModeChanged) r.events().get(1);
    assertEquals(RiskMode.NORMAL, changed.previous());
    assertEquals(RiskMode.DEFENSIVE, changed.mode());
    assertEquals("alice", changed.meta().changedBy());
    assertEquals("volatility spike", changed.meta().reason());
    assertEquals(T0, changed.meta().at());
    Accepted a = (Accepted) r.reply();
    assertTrue(a.changed());
    assertEquals(2, a.policy().version());
    assertEquals(settings.preset(RiskMode.DEFENSIVE), a.policy().policy().limits());
    assertEquals(RiskMode.DEFENSIVE, r.state().policy().riskMode());
  }

  @Test
  public void settingTheCurrentModeAgainChangesNothing() {
    run(rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, ops("trend"), rt));
    var again = run(rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, ops("trend"), rt));
    assertTrue(again.hasNoEvents());
    assertFalse(((Accepted) again.reply()).changed());
    assertEquals(2, ((Accepted) again.reply()).policy().version());
  }

  @Test
  public void rejectsUnknownModeAndAnonymousOrUnexplainedChanges() {
    assertEquals(RejectionCode.INVALID, rejected(run(rt -> new PolicyStore.SetRiskMode(null, ops("x"), rt))).code());
    Rejected noWho = rejected(run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, Change.by(" ", "why"), rt)));
    assertTrue(noWho.message(), noWho.message().contains("who"));
    Rejected noWhy = rejected(run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, Change.by("bob", ""), rt)));
    assertTrue(noWhy.message(), noWhy.message().contains("reason"));
    rejected(run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, null, rt)));
    rejected(run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, Change.by("x".repeat(65), "why"), rt)));
    rejected(run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, Change.by("bob", "y".repeat(2001)), rt)));
  }

  @Test
  public void rejectsAWriterThatSawAnOlderVersion() {
    run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, ops("a"), rt)); // -> version 2
    Rejected conflict =
        rejected(run(rt -> new PolicyStore.AllowStrategy("trend-1", ops("b").expecting(0), rt)));
    assertEquals(RejectionCode.VERSION_CONFLICT, conflict.code());
    assertEquals(2, conflict.currentVersion());
    var ok = run(rt -> new PolicyStore.AllowStrategy("trend-1", ops("b").expecting(2), rt));
    assertEquals(3, ((Accepted) ok.reply()).policy().version());
  }

  @Test
  public void allowBlockAndUnblockKeepTheListsApart() {
    run(rt -> new PolicyStore.AllowStrategy("trend-1", ops("new"), rt));
    run(rt -> new PolicyStore.AllowStrategy("breakout-2", ops("new"), rt));
    assertTrue(store.getState().policy().permits("trend-1"));
    assertFalse("an allow list admits only its members", store.getState().policy().permits("other"));

    var blocked = run(rt -> new PolicyStore.BlockStrategy("trend-1", ops("drawdown"), rt));
    assertTrue(((PolicyStore.StrategyBlocked) blocked.event()).removedFromAllowList());
    GlobalPolicy p = store.getState().policy();
    assertEquals(Set.of("breakout-2"), p.allowedStrategies());
    assertEquals(Set.of("trend-1"), p.blockedStrategies());
    assertFalse(p.permits("trend-1"));

    Rejected allowBlocked = rejected(run(rt -> new PolicyStore.AllowStrategy("trend-1", ops("again"), rt)));
    assertTrue(allowBlocked.message(), allowBlocked.message().contains("blocked"));

    Rejected unblockUnknown = rejected(run(rt -> new PolicyStore.UnblockStrategy("nope", ops("x"), rt)));
    assertTrue(unblockUnknown.message(), unblockUnknown.message().contains("not blocked"));

    var blockAgain = run(rt -> new PolicyStore.BlockStrategy("trend-1", ops("again"), rt));
    assertTrue(blockAgain.hasNoEvents());

    run(rt -> new PolicyStore.UnblockStrategy("trend-1", ops("recovered"), rt));
    assertTrue(store.getState().policy().blockedStrategies().isEmpty());
    assertFalse("unblocking does not re-allow", store.getState().policy().allowedStrategies().contains("trend-1"));

    // taken off the allow list: with the list empty again, every strategy not blocked is permitted
    Rejected notListed = rejected(run(rt -> new PolicyStore.DisallowStrategy("trend-1", ops("x"), rt)));
    assertTrue(notListed.message(), notListed.message().contains("is not on the allow list [breakout-2]"));
    var disallowed = run(rt -> new PolicyStore.DisallowStrategy("breakout-2", ops("whitelist lifted"), rt));
    assertEquals("strategy breakout-2 taken off the allow list", ((PolicyStore.StrategyDisallowed) disallowed.event()).describe());
    assertTrue(store.getState().policy().allowedStrategies().isEmpty());
    assertTrue(store.getState().policy().permits("trend-1"));
  }

  @Test
  public void blocksAndUnblocksSymbols() {
    var r = run(rt -> new PolicyStore.BlockSymbol("LUNAUSDT", ops("delisting risk"), rt));
    assertTrue(r.events().get(r.events().size() - 1) instanceof PolicyStore.SymbolBlocked);
    assertFalse(store.getState().policy().permitsSymbol("LUNAUSDT"));
    assertTrue(store.getState().policy().permitsSymbol("BTCUSDT"));
    assertTrue(run(rt -> new PolicyStore.BlockSymbol("LUNAUSDT", ops("again"), rt)).hasNoEvents());
    rejected(run(rt -> new PolicyStore.UnblockSymbol("BTCUSDT", ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.BlockSymbol("btc usdt", ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.BlockSymbol(null, ops("x"), rt)));
    run(rt -> new PolicyStore.UnblockSymbol("LUNAUSDT", ops("relisted"), rt));
    assertTrue(store.getState().policy().permitsSymbol("LUNAUSDT"));
  }

  @Test
  public void rejectsMalformedStrategyIds() {
    for (String bad : new String[] {null, "", " x", "a b", "x".repeat(65), "-lead", "semi;colon"}) {
      rejected(run(rt -> new PolicyStore.AllowStrategy(bad, ops("x"), rt)));
      rejected(run(rt -> new PolicyStore.BlockStrategy(bad, ops("x"), rt)));
    }
  }

  @Test
  public void changesLimitsWithinBoundsOnly() {
    var ok = run(rt -> new PolicyStore.ChangeLimits(0.7, null, 5, null, ops("tighten"), rt));
    Limits l = store.getState().policy().limits();
    assertEquals(0.7, l.minConfidence(), 0);
    assertEquals(5, l.maxOpenPositions());
    assertEquals(settings.preset(RiskMode.NORMAL).maxRiskPerTrade(), l.maxRiskPerTrade(), 0);
    assertTrue(((Accepted) ok.reply()).changed());

    rejected(run(rt -> new PolicyStore.ChangeLimits(1.5, null, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(-0.1, null, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(Double.NaN, null, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, 0.0, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, 0.2, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, Double.POSITIVE_INFINITY, null, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, null, -1, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, null, 1001, null, ops("x"), rt)));
    rejected(run(rt -> new PolicyStore.ChangeLimits(null, null, null, 10.5, ops("x"), rt)));
    // the values refused are echoed as typed, not as Java prints doubles (1000.0, 1.5E-7, 12.0)
    Rejected echoed = rejected(run(rt -> new PolicyStore.ChangeLimits(1000.0, -1.5e-7, null, 12.0, ops("x"), rt)));
    assertTrue(echoed.message(), echoed.message().contains("min confidence must be in [0, 1], got 1000"));
    assertTrue(echoed.message(), echoed.message().contains("max risk per trade must be in (0, 0.1], got -1.5e-7"));
    assertTrue(echoed.message(), echoed.message().contains("max gross exposure must be in [0, 10], got 12;")
        || echoed.message().endsWith("max gross exposure must be in [0, 10], got 12"));
    Rejected none = rejected(run(rt -> new PolicyStore.ChangeLimits(null, null, null, null, ops("x"), rt)));
    assertTrue(none.message(), none.message().contains("no limit"));
    assertEquals(l, store.getState().policy().limits());
  }

  @Test
  public void publishesPolicyUpdatedOnlyAfterAPersistedChange() throws Exception {
    TestProbe<Delivery> probe = testKit.createTestProbe();
    EventBus bus = EventBus.get(testKit.system());
    bus.subscribe("probe", Set.of(EventType.POLICY_UPDATED), probe.getRef());
    probe.awaitAssert(() -> {
      try {
        assertTrue(bus.localSubscriberCount(EventType.POLICY_UPDATED, Duration.ofSeconds(1)).toCompletableFuture().get() >= 1);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    rejected(run(rt -> new PolicyStore.ChangeLimits(5.0, null, null, null, ops("x"), rt)));
    run(rt -> new PolicyStore.BlockStrategy("mr-3", ops("losing"), rt));
    Delivery d = probe.expectMessageClass(Delivery.class);
    d.ack();
    PolicyUpdated u = (PolicyUpdated) d.event().payload();
    assertEquals(2, u.version());
    assertEquals("alice", u.changedBy());
    assertEquals("losing", u.reason());
    assertTrue(u.policy().blockedStrategies().contains("mr-3"));
    assertEquals(PolicyStore.SOURCE, d.event().source());
    probe.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  public void recoversFromEvents() {
    run(rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, ops("a"), rt));
    run(rt -> new PolicyStore.AllowStrategy("s1", ops("b"), rt));
    run(rt -> new PolicyStore.BlockStrategy("s2", ops("c"), rt));
    run(rt -> new PolicyStore.ChangeLimits(null, null, 7, null, ops("d"), rt));
    State before = store.getState();
    var restarted = store.restart();
    assertEquals(before, restarted.state());
    assertEquals(5, restarted.state().version());
  }

  @Test
  public void recoversFromASnapshotWithoutTheEventsBeforeIt() {
    // snapshot-every = 2: the first change writes events 1 and 2, so a snapshot is taken at 2.
    run(rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, ops("a"), rt));
    State atSnapshot = store.getState();
    var snapshots = store.snapshotTestKit().orElseThrow();
    assertEquals(1, snapshots.persistedInStorage(PolicyStore.PERSISTENCE_ID.id()).size());
    // Without the events, only the snapshot can give the state back.
    store.persistenceTestKit().clearByPersistenceId(PolicyStore.PERSISTENCE_ID.id());
    var restarted = store.restart();
    assertEquals(atSnapshot, restarted.state());
  }
}
