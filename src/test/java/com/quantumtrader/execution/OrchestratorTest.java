package com.quantumtrader.execution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.OpportunitiesUpdated;
import com.quantumtrader.bus.PolicyUpdated;
import com.quantumtrader.strategy.FillRules;
import com.quantumtrader.strategy.ShadowBook;
import com.quantumtrader.strategy.StrategyRegistry;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.strategy.SignalEngine;
import com.quantumtrader.strategy.StrategySpec;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The orchestrator as an actor, with the broker replaced by probes and the policy and opportunities
 * published on the bus. The bars are the step series of {@code SignalEngineTest}: the EMA cross
 * (fast 2, slow 4) enters on bar 20 and exits on bar 30.
 */
public class OrchestratorTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration ABSENCE = Duration.ofMillis(300);
  private static final long HOUR = 3_600_000;
  private static final double EQUITY = 100_000, FEE = 0.001, SLIP = 0.0005;
  private static final double[] EMA = {2, 4, 3, 1.5, 0};
  private static final StrategySpec STRATEGY = new StrategySpec("ema", Template.TREND_EMA_CROSS, EMA);
  private static final Limits LIMITS = new Limits(0.5, 0.01, 5, 2.0);
  private static final Map<RiskMode, Orchestrator.ModePreset> PRESETS = Map.of(
      RiskMode.AGGRESSIVE, new Orchestrator.ModePreset(true, 0),
      RiskMode.NORMAL, new Orchestrator.ModePreset(true, 0),
      RiskMode.DEFENSIVE, new Orchestrator.ModePreset(false, 2.0));

  // The orchestrator keeps no journal: the plain local test config is enough, and a kit per test
  // keeps one test's bus events away from another test's orchestrator.
  private ActorTestKit kit;
  /** Every RegisterListener the orchestrator sends (once at start, then on a timer). */
  private TestProbe<PaperBroker.Command> registrations;
  /** Every other command: orders and stop moves. */
  private TestProbe<PaperBroker.Command> broker;

  @Before
  public void start() {
    kit = ActorTestKit.create("QuantumTrader", TestNodes.local());
    registrations = kit.createTestProbe();
    broker = kit.createTestProbe();
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  /** A broker that is two probes: the timer's repeated registrations would otherwise blur the absence of orders. */
  private ActorRef<PaperBroker.Command> fakeBroker() {
    return kit.spawn(Behaviors.receive(PaperBroker.Command.class)
        .onMessage(PaperBroker.RegisterListener.class, m -> {
          registrations.getRef().tell(m);
          return Behaviors.same();
        })
        .onAnyMessage(m -> {
          broker.getRef().tell(m);
          return Behaviors.same();
        })
        .build());
  }

  /** The orchestrator and its market adapter, as the broker sees it. */
  private record Started(ActorRef<Orchestrator.Command> ref, ActorRef<PaperBroker.MarketUpdate> market) {}

  private Started orchestrator(List<StrategySpec> strategies, ActorRef<PolicyStore.Command> store) {
    ActorRef<Orchestrator.Command> o = kit.spawn(Orchestrator.create(
        new Orchestrator.Settings(strategies, PRESETS, new FillRules.Costs(FEE, SLIP), T), fakeBroker(), store));
    PaperBroker.RegisterListener r = (PaperBroker.RegisterListener) registrations.receiveMessage(T);
    return new Started(o, r.listener());
  }

  private Started orchestrator() {
    return orchestrator(List.of(STRATEGY), null);
  }

  private Orchestrator.Status status(Started o) {
    TestProbe<Orchestrator.Status> p = kit.createTestProbe();
    o.ref().tell(new Orchestrator.GetStatus(p.getRef()));
    return p.receiveMessage(T);
  }

  private long decisions(Started o, String outcome) {
    return status(o).decisions().getOrDefault(outcome, 0L);
  }

  // The subscription is spawned with the orchestrator and may not be registered yet: publish until it
  // shows. A repeated policy version is ignored, a repeated top list is the same list.

  private void publishPolicy(Started o, long version, GlobalPolicy policy) {
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new PolicyUpdated(version, policy, "test", "test", "test"));
      assertEquals(version, status(o).policyVersion());
      return null;
    });
  }

  private void publishTop(Started o, String... symbols) {
    List<OpportunitiesUpdated.Opportunity> top = new ArrayList<>();
    for (int i = 0; i < symbols.length; i++) top.add(new OpportunitiesUpdated.Opportunity(symbols[i], i + 1, 1.0 - i * 0.1, 0.5, 0.5, 0.5, 0));
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new OpportunitiesUpdated(top));
      assertEquals(List.of(symbols), status(o).topSymbols());
      return null;
    });
  }

  private static GlobalPolicy normal(Limits limits) {
    return GlobalPolicy.initial(RiskMode.NORMAL, limits);
  }

  /** An orchestrator trading under a NORMAL policy (version 1) with these limits and this top list. */
  private Started runningNormal(Limits limits, String... top) {
    Started o = orchestrator();
    publishPolicy(o, 1, normal(limits));
    publishTop(o, top);
    return o;
  }

  /** Closes 100 ×10, 90 ×10, 120 ×10, 80 ×10; each bar's open is its close, high and low close ± 1. */
  private static double close(int i) {
    return i < 10 ? 100 : i < 20 ? 90 : i < 30 ? 120 : 80;
  }

  /** Bars {@code from..to} (inclusive) of the step series for {@code symbol}, with this book. */
  private static PaperBroker.MarketUpdate bars(String symbol, int from, int to, PaperBroker.BookSummary book) {
    int n = to - from + 1;
    long[] t = new long[n];
    double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = (from + i) * HOUR;
      c[i] = o[i] = close(from + i);
      h[i] = c[i] + 1;
      l[i] = c[i] - 1;
    }
    return new PaperBroker.MarketUpdate(symbol, "1h", t, o, h, l, c, book);
  }

  private static PaperBroker.BookSummary book(Map<String, String> holdings) {
    return new PaperBroker.BookSummary(EQUITY, holdings.size(), 0, holdings);
  }

  /** The engine as the orchestrator's copy stands after bars 0..to. */
  private static SignalEngine replay(int to) {
    SignalEngine e = STRATEGY.newEngine();
    for (int i = 0; i <= to; i++) e.onBar(close(i), close(i) + 1, close(i) - 1, close(i));
    return e;
  }

  private PaperBroker.PlaceOrder expectPlace() {
    PaperBroker.Command c = broker.receiveMessage(T);
    assertTrue("expected an order, got " + c, c instanceof PaperBroker.PlaceOrder);
    return (PaperBroker.PlaceOrder) c;
  }

  private Order expectOrder() {
    return expectPlace().order();
  }

  @Test
  public void anEntryOnATopSymbolUnderNormalOpensOneOrderSizedToTheRiskPerTradeWithThePolicyVersion() {
    // The policy comes from the store at start this time, not from the bus.
    ActorRef<PolicyStore.Command> store = kit.spawn(Behaviors.receive(PolicyStore.Command.class)
        .onMessage(PolicyStore.Get.class, m -> {
          m.replyTo().tell(new PolicyStore.PolicyView(7, normal(LIMITS), Instant.EPOCH, "test", "start"));
          return Behaviors.same();
        })
        .build());
    Started o = orchestrator(List.of(STRATEGY), store);
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(7, status(o).policyVersion());
      return null;
    });
    publishTop(o, "AAA", "BBB");

    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    PaperBroker.PlaceOrder place = expectPlace();
    Order order = place.order();
    SignalEngine e = replay(20);
    assertEquals(Order.Intent.OPEN, order.intent());
    assertEquals(Side.LONG, order.side());
    assertEquals("AAA", order.symbol());
    assertEquals("ema", order.strategyId());
    assertEquals(7, order.policyVersion());
    assertEquals(20 * HOUR, order.afterTime());
    assertEquals(e.stop(), order.stop(), 1e-12);
    assertEquals(e.confidence(), order.confidence(), 1e-12);
    assertEquals(null, order.problem());

    // The loss if the stop is hit, both fills worse by the slippage and both sides paying the fee.
    double in = 120 * (1 + SLIP), out = order.stop() * (1 - SLIP);
    double loss = order.quantity() * ((in - out) + FEE * (in + out));
    double budget = LIMITS.maxRiskPerTrade() * EQUITY;
    assertTrue("loss at the stop " + loss + " > " + budget, loss <= budget);
    assertTrue("loss at the stop " + loss + " well under the budget " + budget, loss > 0.999 * budget);

    place.replyTo().tell(new PaperBroker.OrderAccepted(order.orderId()));
    broker.expectNoMessage(ABSENCE);
    kit.createTestProbe().awaitAssert(T, () -> {
      Orchestrator.Status s = status(o);
      assertEquals(1, s.ordersPlaced());
      assertEquals(0, s.ordersRefusedByBroker());
      assertEquals(Long.valueOf(1), s.decisions().get("admitted"));
      return null;
    });
  }

  /** An empty top (no symbol passes the ranker's filters) opens nothing: not the last non-empty top's symbols. */
  @Test
  public void anEmptyTopOpensNothing() {
    Started o = runningNormal(LIMITS, "AAA");
    publishTop(o); // the ranker excluded every symbol

    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    broker.expectNoMessage(ABSENCE);
    Orchestrator.Status s = status(o);
    assertEquals(s.decisions().toString(), Long.valueOf(1), s.decisions().get("skipped: no symbol passes the ranker's filters"));
    assertEquals(0, s.ordersPlaced());
  }

  @Test
  public void anEntryOnASymbolNotInTheLatestTopListOrdersNothing() {
    Started o = runningNormal(LIMITS, "AAA");
    publishTop(o, "BBB", "CCC"); // AAA has left the top

    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    broker.expectNoMessage(ABSENCE);
    Orchestrator.Status s = status(o);
    assertEquals(Long.valueOf(1), s.decisions().get("skipped: not in the top 2"));
    assertEquals(0, s.ordersPlaced());
    assertEquals(null, s.decisions().get("admitted"));
  }

  @Test
  public void defensiveOpensNothingAndCountsTheRefusal() {
    Started o = orchestrator();
    publishPolicy(o, 1, GlobalPolicy.initial(RiskMode.DEFENSIVE, LIMITS));
    publishTop(o, "AAA");

    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, decisions(o, "refused: risk mode DEFENSIVE opens nothing new"));
    assertEquals(0, status(o).ordersPlaced());
  }

  @Test
  public void aBlockedStrategyOrOneNotOnANonEmptyAllowListNeverTrades() {
    // A second instance of the same rule signals on the same bars: it shows that the signal was there.
    StrategySpec other = new StrategySpec("ema-2", Template.TREND_EMA_CROSS, EMA);
    Started o = orchestrator(List.of(STRATEGY, other), null);
    publishTop(o, "AAA", "BBB");

    publishPolicy(o, 1, new GlobalPolicy(RiskMode.NORMAL, LIMITS, null, new TreeSet<>(List.of("ema"))));
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    Order first = expectOrder();
    assertEquals("ema-2", first.strategyId());
    assertEquals("AAA", first.symbol());
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, decisions(o, "refused: strategy or symbol not permitted"));

    publishPolicy(o, 2, new GlobalPolicy(RiskMode.NORMAL, LIMITS, new TreeSet<>(List.of("ema-2")), null));
    o.market().tell(bars("BBB", 0, 20, book(Map.of())));
    Order second = expectOrder();
    assertEquals("ema-2", second.strategyId());
    assertEquals("BBB", second.symbol());
    assertEquals(2, second.policyVersion());
    broker.expectNoMessage(ABSENCE);
    assertEquals(2, decisions(o, "refused: strategy or symbol not permitted"));
  }

  @Test
  public void switchingToDefensiveTightensTheStopOfEachHeldSymbolToKAtrsBelowTheLastClose() {
    Started o = runningNormal(LIMITS, "AAA");
    // No signal in bars 0..19; BBB is not held and must be left alone.
    o.market().tell(bars("BBB", 0, 19, book(Map.of("AAA", "ema"))));
    o.market().tell(bars("AAA", 0, 19, book(Map.of("AAA", "ema"))));
    assertEquals(2, status(o).symbolsTracked()); // both updates handled before the switch

    publishPolicy(o, 2, GlobalPolicy.initial(RiskMode.DEFENSIVE, LIMITS));
    PaperBroker.Command c = broker.receiveMessage(T);
    assertTrue("expected a stop move, got " + c, c instanceof PaperBroker.MoveStop);
    PaperBroker.MoveStop move = (PaperBroker.MoveStop) c;
    assertEquals("AAA", move.symbol());
    assertEquals(close(19) - 2.0 * replay(19).atr(), move.stop(), 1e-9);
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, decisions(o, "stop tightened"));
  }

  @Test
  public void anExitClosesTheStrategysOwnPositionAndLeavesAnotherStrategysAlone() {
    Started o = runningNormal(LIMITS, "AAA", "BBB");
    Map<String, String> held = Map.of("AAA", "ema", "BBB", "someone-else");

    // Held already, so the entry on bar 20 opens nothing; the exit on bar 30 closes AAA only.
    o.market().tell(bars("BBB", 0, 20, book(held)));
    o.market().tell(bars("BBB", 21, 30, book(held)));
    broker.expectNoMessage(ABSENCE);

    o.market().tell(bars("AAA", 0, 20, book(held)));
    o.market().tell(bars("AAA", 21, 30, book(held)));
    Order close = expectOrder();
    assertEquals(Order.Intent.CLOSE, close.intent());
    assertEquals("AAA", close.symbol());
    assertEquals("ema", close.strategyId());
    assertEquals(30 * HOUR, close.afterTime());
    assertEquals(null, close.problem());
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, decisions(o, "exit"));
  }

  @Test
  public void anExitClosesAHeldPositionEvenWhenItsSymbolIsNoLongerRanked() {
    Started o = runningNormal(LIMITS, "BBB"); // AAA is not (or no longer) in the top list
    Map<String, String> held = Map.of("AAA", "ema");
    o.market().tell(bars("AAA", 0, 20, book(held)));
    o.market().tell(bars("AAA", 21, 30, book(held)));
    Order close = expectOrder();
    assertEquals(Order.Intent.CLOSE, close.intent());
    assertEquals("AAA", close.symbol());
    broker.expectNoMessage(ABSENCE);
  }

  @Test
  public void ordersInFlightCountAgainstTheOpenPositionLimit() {
    Started o = runningNormal(new Limits(0.5, 0.01, 1, 2.0), "AAA", "BBB", "CCC");

    // Both books are as the broker saw them before the first order reached it.
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    o.market().tell(bars("BBB", 0, 20, book(Map.of())));
    PaperBroker.PlaceOrder first = expectPlace();
    assertEquals("AAA", first.order().symbol());
    assertEquals(Order.Intent.OPEN, first.order().intent());
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, decisions(o, "refused: open positions at the limit"));

    // The broker refuses the first order: its slot is free again for the next signal.
    first.replyTo().tell(new PaperBroker.OrderRefused(first.order().orderId(), "test"));
    o.market().tell(bars("CCC", 0, 20, book(Map.of())));
    assertEquals("CCC", expectOrder().symbol());
    broker.expectNoMessage(ABSENCE);
    assertEquals(1, status(o).ordersRefusedByBroker());
  }

  @Test
  public void onlyLiveStrategiesOpenAndShadowStrategiesReportTheirOwnBooksRecord() {
    StrategySpec shadow = new StrategySpec("ema-shadow", Template.TREND_EMA_CROSS, EMA);
    TestProbe<StrategyRegistry.ReportTrackRecord> reports = kit.createTestProbe();
    Started o = withRegistry(STRATEGY, () -> List.of(info(STRATEGY, StrategyRegistry.Lifecycle.LIVE),
        info(shadow, StrategyRegistry.Lifecycle.SHADOW)), reports, Duration.ofMillis(300));
    publishPolicy(o, 1, normal(LIMITS));
    publishTop(o, "AAA");
    // Both strategies are the same rule: both signal on bar 20; only the LIVE one orders.
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    Order order = expectOrder();
    assertEquals("ema", order.strategyId());
    broker.expectNoMessage(ABSENCE);
    // The shadow one is turned away because it is not live (not because the live one ordered the symbol first)
    assertEquals(Long.valueOf(1), status(o).decisions().get("skipped: strategy not live"));
    assertEquals(null, status(o).decisions().get("skipped: symbol already held or ordered"));
    // The shadow strategy's own book traded: after its exit it has a record, reported as SHADOW (a
    // report while it only holds its position comes first and has no trade yet).
    o.market().tell(bars("AAA", 21, 40, book(Map.of("AAA", "ema"))));
    StrategyRegistry.ReportTrackRecord r = null;
    for (int i = 0; i < 20 && (r == null || !r.strategyId().equals("ema-shadow") || r.record().trades() < 1); i++) {
      r = reports.receiveMessage(T);
    }
    assertEquals("ema-shadow", r.strategyId());
    assertEquals(StrategyRegistry.Book.SHADOW, r.book());
    assertTrue(r.record().trades() >= 1);
  }

  /**
   * A strategy dropped by the registry (neither LIVE nor SHADOW) while its entry is ordered but not
   * yet in the broker's book runs on: the position that entry opens gets its exit signal. Once a
   * later bar of the symbol shows that it holds nothing, it stops running.
   */
  @Test
  public void aStrategyDroppedWithAnEntryOrderedRunsOnForItsExitAndStopsOnceItHoldsNothing() {
    AtomicReference<List<StrategyRegistry.StrategyInfo>> listed =
        new AtomicReference<>(List.of(info(STRATEGY, StrategyRegistry.Lifecycle.LIVE)));
    Started o = liveWithAnEntryOrdered(listed);
    PaperBroker.PlaceOrder entry = expectPlace();
    assertEquals(Order.Intent.OPEN, entry.order().intent());
    entry.replyTo().tell(new PaperBroker.OrderAccepted(entry.order().orderId()));

    // Demoted before the broker's book shows the entry: the orchestrator's last book holds nothing.
    listed.set(List.of());
    afterRegistryChange(o, () -> assertEquals(List.of(), status(o).strategies()));
    assertEquals(List.of("ema"), status(o).running());

    // The entry filled on bar 21's open; the exit on bar 30 closes it although the strategy is not live.
    o.market().tell(bars("AAA", 21, 30, book(Map.of("AAA", "ema"))));
    PaperBroker.PlaceOrder exit = expectPlace();
    assertEquals(Order.Intent.CLOSE, exit.order().intent());
    assertEquals("AAA", exit.order().symbol());
    assertEquals("ema", exit.order().strategyId());
    assertEquals(30 * HOUR, exit.order().afterTime());
    exit.replyTo().tell(new PaperBroker.OrderAccepted(exit.order().orderId()));
    broker.expectNoMessage(ABSENCE);

    // Closed on bar 31's open: it holds nothing and has no entry ordered, so it stops running.
    o.market().tell(bars("AAA", 31, 32, book(Map.of())));
    afterRegistryChange(o, () -> assertEquals(List.of(), status(o).running()));
    Orchestrator.Status s = status(o);
    assertEquals(Long.valueOf(1), s.decisions().get("admitted"));
    assertEquals(Long.valueOf(1), s.decisions().get("exit"));
  }

  /**
   * The broker may apply a bar before it takes an entry order sent on the bar before, and then its
   * update of that bar does not show the entry. A strategy dropped at that moment must still run on
   * (the entry fills on the following bar): the entry counts as pending until the broker's reply has
   * come and a later bar has been seen after it.
   */
  @Test
  public void anUpdateBeforeTheEntrysReplyDoesNotEndTheEntry() {
    AtomicReference<List<StrategyRegistry.StrategyInfo>> listed =
        new AtomicReference<>(List.of(info(STRATEGY, StrategyRegistry.Lifecycle.LIVE)));
    Started o = liveWithAnEntryOrdered(listed);
    PaperBroker.PlaceOrder entry = expectPlace();
    // bar 21 applied by the broker before it took the order: its book holds nothing
    o.market().tell(bars("AAA", 21, 21, book(Map.of())));
    listed.set(List.of());
    afterRegistryChange(o, () -> assertEquals(List.of(), status(o).strategies()));
    assertEquals(List.of("ema"), status(o).running());
    // the reply, then the fill on bar 22's open: the exit on bar 30 closes the position
    entry.replyTo().tell(new PaperBroker.OrderAccepted(entry.order().orderId()));
    o.market().tell(bars("AAA", 22, 30, book(Map.of("AAA", "ema"))));
    PaperBroker.PlaceOrder exit = expectPlace();
    assertEquals(Order.Intent.CLOSE, exit.order().intent());
    assertEquals(30 * HOUR, exit.order().afterTime());
  }

  /**
   * An order whose reply never comes (lost with a broker that restarted after taking it) stops
   * counting as in flight after the reply timeout: otherwise the position it opened would never get
   * its exit, and its symbol and exposure would stay taken for ever.
   */
  @Test
  public void anOrderWithoutAReplyStopsCountingAsInFlightAfterTheTimeout() throws Exception {
    ActorRef<Orchestrator.Command> ref = kit.spawn(Orchestrator.create(new Orchestrator.Settings(List.of(STRATEGY), PRESETS,
        new FillRules.Costs(FEE, SLIP), T, Duration.ofSeconds(60), Duration.ofMillis(200)), fakeBroker(), null));
    Started o = new Started(ref, ((PaperBroker.RegisterListener) registrations.receiveMessage(T)).listener());
    publishPolicy(o, 1, normal(LIMITS));
    publishTop(o, "AAA");
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    assertEquals(Order.Intent.OPEN, expectPlace().order().intent()); // its reply is lost
    Thread.sleep(400);
    o.market().tell(bars("AAA", 21, 30, book(Map.of("AAA", "ema"))));
    PaperBroker.PlaceOrder exit = expectPlace();
    assertEquals(Order.Intent.CLOSE, exit.order().intent());
    assertEquals(30 * HOUR, exit.order().afterTime());
    assertEquals(1, decisions(o, "orders without a reply in time"));
  }

  /** "ema" LIVE as {@code listed} says, next to a stand-in registry; policy, top list, and bars 0..20 of AAA: its entry is ordered. */
  private Started liveWithAnEntryOrdered(AtomicReference<List<StrategyRegistry.StrategyInfo>> listed) {
    Started o = withRegistry(STRATEGY, listed::get, kit.createTestProbe(), Duration.ofSeconds(60));
    publishPolicy(o, 1, normal(LIMITS));
    publishTop(o, "AAA");
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    return o;
  }

  /** Tells the orchestrator that a strategy changed state (it re-reads the registry) until {@code check} holds. */
  private void afterRegistryChange(Started o, Runnable check) {
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new com.quantumtrader.bus.StrategyPromoted("ema", "TREND_EMA_CROSS",
          "LIVE", "DEMOTED", "DOWN", List.of("test")));
      check.run();
      return null;
    });
  }

  /**
   * An orchestrator configured with {@code configured}, next to a stand-in registry that lists what
   * {@code listed} gives and hands the track records reported to {@code reports}; returned once "ema"
   * is live.
   */
  private Started withRegistry(StrategySpec configured, java.util.function.Supplier<List<StrategyRegistry.StrategyInfo>> listed,
      TestProbe<StrategyRegistry.ReportTrackRecord> reports, Duration reportInterval) {
    ActorRef<StrategyRegistry.Command> registry = kit.spawn(Behaviors.receive(StrategyRegistry.Command.class)
        .onMessage(StrategyRegistry.ListStrategies.class, m -> {
          m.replyTo().tell(new StrategyRegistry.Strategies(listed.get()));
          return Behaviors.same();
        })
        .onMessage(StrategyRegistry.ReportTrackRecord.class, m -> {
          reports.getRef().tell(m);
          return Behaviors.same();
        })
        .build());
    ActorRef<Orchestrator.Command> ref = kit.spawn(Orchestrator.create(new Orchestrator.Settings(List.of(configured), PRESETS,
        new FillRules.Costs(FEE, SLIP), T, reportInterval), fakeBroker(), null, registry));
    Started o = new Started(ref, ((PaperBroker.RegisterListener) registrations.receiveMessage(T)).listener());
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(List.of("ema"), status(o).strategies());
      return null;
    });
    return o;
  }

  private static StrategyRegistry.StrategyInfo info(StrategySpec spec,
      StrategyRegistry.Lifecycle state) {
    return new StrategyRegistry.StrategyInfo(spec, state, "test", null, null, null, null, List.of());
  }

  /** In {@code state} since {@code since}, with the figures the registry has of that period's book (or null). */
  private static StrategyRegistry.StrategyInfo info(StrategySpec spec, StrategyRegistry.Lifecycle state, Instant since,
      ShadowBook.State book) {
    return new StrategyRegistry.StrategyInfo(spec, state, "test", null, null, null, book,
        List.of(new StrategyRegistry.Transition(null, state, "test", "test", since)));
  }

  /**
   * A book per period. An orchestrator that finds a period the registry already has figures for (it
   * restarted, or moved) resumes that strategy's book from them; a promotion starts a new book, so
   * the live record never counts the shadow period's trades; and a strategy whose registered spec
   * differs from the configured one runs the registered spec.
   */
  @Test
  public void eachPeriodHasItsOwnBookResumedFromTheRegistrysFigures() throws Exception {
    StrategySpec shadow = new StrategySpec("ema-shadow", Template.TREND_EMA_CROSS, EMA);
    // configured with other parameters than the registry's: the registry's are traded
    StrategySpec configured = new StrategySpec("ema", Template.TREND_EMA_CROSS, new double[] {3, 40, 3, 1.5, 0});
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    ShadowBook.State kept = new ShadowBook.State(7, 4, 1_000, 101_000, 0.02, 3_000, 2_000, -50 * HOUR, -HOUR);
    AtomicReference<List<StrategyRegistry.StrategyInfo>> listed = new AtomicReference<>(List.of(
        info(STRATEGY, StrategyRegistry.Lifecycle.LIVE, t0, null), info(shadow, StrategyRegistry.Lifecycle.SHADOW, t0, kept)));
    TestProbe<StrategyRegistry.ReportTrackRecord> reports = kit.createTestProbe();
    Started o = withRegistry(configured, listed::get, reports, Duration.ofMillis(200));
    publishPolicy(o, 1, normal(LIMITS));
    publishTop(o, "AAA");
    // "ema" runs the registry's EMA 2/4 (the configured 3/40 would not cross on bar 20)
    o.market().tell(bars("AAA", 0, 20, book(Map.of())));
    assertEquals("ema", expectOrder().strategyId());
    o.market().tell(bars("AAA", 21, 40, book(Map.of("AAA", "ema"))));
    // the shadow book went on from the registry's figures: 7 trades and more, covering their first bar
    StrategyRegistry.ReportTrackRecord r = null;
    for (int i = 0; i < 100 && (r == null || !r.strategyId().equals("ema-shadow") || r.record().trades() < 8); i++) {
      r = reports.receiveMessage(T);
      if (r.strategyId().equals("ema-shadow")) assertTrue(r.record().toString(), r.record().trades() >= 7);
    }
    assertEquals(StrategyRegistry.Book.SHADOW, r.book());
    assertTrue(r.record().toString(), r.record().trades() >= 8);
    assertEquals(-50 * HOUR, r.state().firstBar());
    // promoted: a new period, a new book with nothing in it (it reports once it has traded)
    listed.set(List.of(info(STRATEGY, StrategyRegistry.Lifecycle.LIVE, t0, null),
        info(shadow, StrategyRegistry.Lifecycle.LIVE, t0.plusSeconds(60), null)));
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new com.quantumtrader.bus.StrategyPromoted("ema-shadow", "TREND_EMA_CROSS",
          "SHADOW", "LIVE", "UP", List.of("test")));
      assertEquals(List.of("ema", "ema-shadow"), status(o).strategies());
      return null;
    });
    long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
    while (System.nanoTime() < end) {
      StrategyRegistry.ReportTrackRecord m;
      try {
        m = reports.receiveMessage(Duration.ofMillis(100));
      } catch (AssertionError none) {
        continue;
      }
      assertTrue("no live record with the shadow period's trades: " + m,
          !(m.strategyId().equals("ema-shadow") && m.book() == StrategyRegistry.Book.LIVE));
    }
    // retired, holding nothing: it stops running; "ema" demoted but holding AAA runs on for its exit
    listed.set(List.of(info(STRATEGY, StrategyRegistry.Lifecycle.LIVE, t0, null)));
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new com.quantumtrader.bus.StrategyPromoted("ema-shadow", "TREND_EMA_CROSS",
          "LIVE", "RETIRED", "DOWN", List.of("test")));
      assertEquals(List.of("ema"), status(o).running());
      return null;
    });
    listed.set(List.of());
    kit.createTestProbe().awaitAssert(T, () -> {
      EventBus.get(kit.system()).publish("test", new com.quantumtrader.bus.StrategyPromoted("ema", "TREND_EMA_CROSS",
          "LIVE", "DEMOTED", "DOWN", List.of("test")));
      assertEquals(List.of(), status(o).strategies());
      return null;
    });
    assertEquals(List.of("ema"), status(o).running());
  }
}
