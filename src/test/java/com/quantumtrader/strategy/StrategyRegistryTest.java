package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.StrategyPromoted;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.strategy.LifecycleRules.Action;
import com.quantumtrader.strategy.StrategyRegistry.Accepted;
import com.quantumtrader.strategy.StrategyRegistry.Lifecycle;
import com.quantumtrader.strategy.StrategyRegistry.Rejected;
import com.quantumtrader.strategy.StrategyRegistry.RejectionCode;
import com.quantumtrader.strategy.StrategyRegistry.Reply;
import com.quantumtrader.strategy.StrategyRegistry.StrategyInfo;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The registry as an actor on the H2 journal, with a real Policy Store and the event bus. */
public class StrategyRegistryTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final StrategySpec INCUMBENT = StrategySpec.defaults("trend-ema-12-26", Template.TREND_EMA_CROSS);
  private static final StrategySpec CHALLENGER =
      new StrategySpec("trend-ema-9-21", Template.TREND_EMA_CROSS, new double[] {9, 21, 14, 2.0, 0});
  private static final StrategySpec BREAKOUT = StrategySpec.defaults("breakout-donchian-20", Template.DONCHIAN_BREAKOUT);

  private Path dir;
  private Config config;
  private ActorTestKit kit;
  private ActorRef<PolicyStore.Command> policy;
  private ActorRef<StrategyRegistry.Command> registry;

  @Before
  public void start() throws Exception {
    dir = Files.createTempDirectory("qt-registry-");
    // Snapshots every 3 events, so that a restart recovers from a snapshot and the events after it.
    config = TestNodes.h2(dir, Map.of("QT_STRATEGY_REGISTRY_SNAPSHOT_EVERY", "3"));
    boot();
  }

  /** An actor system on the H2 folder, with the Policy Store and the registry seeded with INCUMBENT. */
  private void boot() {
    kit = ActorTestKit.create("QuantumTrader", config);
    policy = kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
    registry = kit.spawn(StrategyRegistry.create(StrategyRegistrySettings.fromConfig(config), List.of(INCUMBENT), policy, T));
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  // ----- helpers

  private Reply ask(java.util.function.Function<ActorRef<Reply>, StrategyRegistry.Command> command) {
    TestProbe<Reply> p = kit.createTestProbe();
    registry.tell(command.apply(p.getRef()));
    return p.receiveMessage(T);
  }

  private StrategyInfo accepted(java.util.function.Function<ActorRef<Reply>, StrategyRegistry.Command> command) {
    Reply r = ask(command);
    assertTrue("expected Accepted, got " + r, r instanceof Accepted);
    return ((Accepted) r).strategy();
  }

  private Rejected rejected(java.util.function.Function<ActorRef<Reply>, StrategyRegistry.Command> command) {
    Reply r = ask(command);
    assertTrue("expected Rejected, got " + r, r instanceof Rejected);
    return (Rejected) r;
  }

  private StrategyInfo get(String id) {
    return accepted(r -> new StrategyRegistry.Get(id, r));
  }

  private List<String> live() {
    TestProbe<StrategyRegistry.LiveStrategies> p = kit.createTestProbe();
    registry.tell(new StrategyRegistry.Live(p.getRef()));
    return p.receiveMessage(T).ids();
  }

  private StrategyRegistry.Evaluation evaluate() {
    TestProbe<StrategyRegistry.Evaluation> p = kit.createTestProbe();
    registry.tell(new StrategyRegistry.Evaluate(p.getRef()));
    return p.receiveMessage(T);
  }

  /** Waits for the configured strategies to be registered (the registry seeds itself after recovery). */
  private void awaitSeeded() {
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(List.of(INCUMBENT.id()), live());
      return null;
    });
  }

  private void registerInShadow(StrategySpec spec, TrackRecord shadow) {
    StrategyRegistry.BacktestSummary bt = new StrategyRegistry.BacktestSummary(
        new TrackRecord(120, 365, 0.4, 1.9, 0.1, 1.7), new TrackRecord(40, 120, 0.1, 1.4, 0.09, 1.4));
    assertEquals(Lifecycle.CANDIDATE, accepted(r -> new StrategyRegistry.Register(spec, "SG_AI", bt, r)).state());
    assertEquals(Lifecycle.SHADOW, accepted(r -> new StrategyRegistry.StartShadow(spec.id(), "alice", "looks promising", r)).state());
    if (shadow != null) accepted(r -> new StrategyRegistry.ReportTrackRecord(spec.id(), StrategyRegistry.Book.SHADOW, shadow, null, r));
  }

  /** A probe that receives every {@code strategy.promoted} published from now on. */
  private TestProbe<StrategyPromoted> promotions() {
    TestProbe<StrategyPromoted> out = kit.createTestProbe();
    Behavior<Delivery> acking = Behaviors.receiveMessage(d -> {
      out.getRef().tell((StrategyPromoted) d.event().payload());
      d.ack();
      return Behaviors.same();
    });
    EventBus bus = EventBus.get(kit.system());
    bus.subscribe("test", Set.of(EventType.STRATEGY_PROMOTED), kit.spawn(acking));
    kit.createTestProbe().awaitAssert(T, () -> {
      try {
        assertTrue(bus.localSubscriberCount(EventType.STRATEGY_PROMOTED, Duration.ofSeconds(1)).toCompletableFuture().get() >= 1);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    return out;
  }

  private static final TrackRecord GOOD_SHADOW = new TrackRecord(45, 21, 0.15, 1.8, 0.07, 1.6);
  private static final TrackRecord WEAK_LIVE = new TrackRecord(60, 40, 0.02, 0.6, 0.09, 1.1);

  // ----- tests

  /**
   * An operator's text the journal could not take (a lone UTF-16 surrogate cannot be written as CBOR
   * text) is refused with the reason, and the registry goes on at once: left to the journal's
   * rejection it restarted with backoff, the caller unanswered.
   */
  @Test
  public void anEventThatCannotBeJournaledIsRefusedAndTheRegistryGoesOn() {
    awaitSeeded();
    Rejected r = rejected(rq -> new StrategyRegistry.Register(CHALLENGER, "SG_AI", null, "found \ud800", rq));
    assertEquals(StrategyRegistry.RejectionCode.INVALID, r.code());
    assertTrue(r.message(), r.message().startsWith("cannot be journaled: "));
    assertTrue("Jackson's words and the field, no class names: " + r.message(),
        r.message().endsWith("surrogate (field reason)") && !r.message().contains("com.quantumtrader"));
    assertEquals(Lifecycle.CANDIDATE, accepted(rq -> new StrategyRegistry.Register(CHALLENGER, "SG_AI", null, "found", rq)).state());
    r = rejected(rq -> new StrategyRegistry.StartShadow(CHALLENGER.id(), "alice", "looks \ud800 promising", rq));
    assertTrue(r.message(), r.message().startsWith("cannot be journaled: "));
    r = rejected(rq -> new StrategyRegistry.Retire(INCUMBENT.id(), "alice\udc00", "done", rq));
    assertTrue(r.message(), r.message().startsWith("cannot be journaled: "));
    assertEquals(Lifecycle.SHADOW, accepted(rq -> new StrategyRegistry.StartShadow(CHALLENGER.id(), "alice", "looks promising", rq)).state());
    assertEquals(List.of(INCUMBENT.id()), live());
  }

  @Test
  public void aNewRegistryStartsWithTheConfiguredStrategiesAsLive() {
    awaitSeeded();
    StrategyInfo i = get(INCUMBENT.id());
    assertEquals("config", i.origin());
    assertEquals(INCUMBENT, i.spec());
    assertEquals(1, i.history().size());
    assertNull(i.history().get(0).from());
    assertEquals(Lifecycle.LIVE, i.history().get(0).to());
  }

  @Test
  public void registerShadowAndPromotePublishesStrategyPromotedAndTheChallengerReplacesTheIncumbent() {
    awaitSeeded();
    TestProbe<StrategyPromoted> bus = promotions();
    registerInShadow(CHALLENGER, GOOD_SHADOW);
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE, WEAK_LIVE, null, r));

    StrategyRegistry.Evaluation e = evaluate();
    assertEquals(Action.PROMOTE, e.of(CHALLENGER.id()).action());
    assertEquals(Action.DEMOTE, e.of(INCUMBENT.id()).action());
    assertTrue(e.policyVersion() >= 0);

    List<StrategyPromoted> published = List.of(bus.receiveMessage(T), bus.receiveMessage(T));
    StrategyPromoted up = published.stream().filter(p -> p.direction().equals("UP")).findFirst().orElseThrow();
    StrategyPromoted down = published.stream().filter(p -> p.direction().equals("DOWN")).findFirst().orElseThrow();
    assertEquals(CHALLENGER.id(), up.strategyId());
    assertEquals("TREND_EMA_CROSS", up.template());
    assertEquals("SHADOW", up.from());
    assertEquals("LIVE", up.to());
    assertTrue(up.reasons().toString(), up.reasons().stream().anyMatch(r -> r.contains("beats incumbent trend-ema-12-26")));
    assertEquals(INCUMBENT.id(), down.strategyId());
    assertEquals("DEMOTED", down.to());
    assertTrue(down.reasons().toString(), down.reasons().get(0).startsWith("replaced by trend-ema-9-21"));

    assertEquals(List.of(CHALLENGER.id()), live());
    StrategyInfo c = get(CHALLENGER.id());
    assertEquals(List.of(Lifecycle.CANDIDATE, Lifecycle.SHADOW, Lifecycle.LIVE), c.history().stream().map(StrategyRegistry.Transition::to).toList());
    assertEquals("strategy-registry", c.history().get(2).by());
  }

  @Test
  public void anOperatorPromotionPublishesUpAndShowsInLive() {
    awaitSeeded();
    TestProbe<StrategyPromoted> bus = promotions();
    registerInShadow(BREAKOUT, null);
    StrategyInfo i = accepted(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "desk decision", r));
    assertEquals(Lifecycle.LIVE, i.state());
    StrategyPromoted p = bus.receiveMessage(T);
    assertEquals(BREAKOUT.id(), p.strategyId());
    assertEquals("UP", p.direction());
    assertEquals(List.of("by alice: desk decision"), p.reasons());
    assertEquals(List.of(BREAKOUT.id(), INCUMBENT.id()), live());
    // the history says who in its own field and the reason as given, as for a shadow start
    StrategyRegistry.Transition last = i.history().get(i.history().size() - 1);
    assertEquals("alice", last.by());
    assertEquals("desk decision", last.reason());
  }

  @Test
  public void illegalTransitionsAndUnknownIdsAreRefused() {
    awaitSeeded();
    accepted(r -> new StrategyRegistry.Register(BREAKOUT, "bob", null, r));
    Rejected promoteCandidate = rejected(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "skip shadow", r));
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, promoteCandidate.code());
    assertTrue(promoteCandidate.message(), promoteCandidate.message().contains("is CANDIDATE; LIVE is reached only from [SHADOW]"));
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, rejected(r -> new StrategyRegistry.Demote(BREAKOUT.id(), "alice", "x", r)).code());
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, rejected(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(),
        StrategyRegistry.Book.LIVE, WEAK_LIVE, null, r)).code());
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, rejected(r -> new StrategyRegistry.StartShadow(INCUMBENT.id(), "alice", "x", r)).code());
    assertEquals(RejectionCode.ALREADY_REGISTERED, rejected(r -> new StrategyRegistry.Register(BREAKOUT, "bob", null, r)).code());
    assertEquals(RejectionCode.NOT_FOUND, rejected(r -> new StrategyRegistry.Promote("nope", "alice", "x", r)).code());
    assertEquals(RejectionCode.NOT_FOUND, rejected(r -> new StrategyRegistry.Get("nope", r)).code());
    assertEquals(RejectionCode.INVALID, rejected(r -> new StrategyRegistry.Retire(BREAKOUT.id(), "alice", " ", r)).code());

    accepted(r -> new StrategyRegistry.Retire(BREAKOUT.id(), "alice", "superseded", r));
    Rejected again = rejected(r -> new StrategyRegistry.StartShadow(BREAKOUT.id(), "alice", "second chance", r));
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, again.code());
    assertEquals(RejectionCode.ILLEGAL_TRANSITION, rejected(r -> new StrategyRegistry.Retire(BREAKOUT.id(), "alice", "twice", r)).code());
    assertEquals(Lifecycle.RETIRED, get(BREAKOUT.id()).state());
  }

  @Test
  public void aBlockedStrategyIsNeverPromotedNeitherByEvaluationNorByAnOperator() {
    awaitSeeded();
    registerInShadow(BREAKOUT, new TrackRecord(500, 200, 1.5, 3.5, 0.03, 4.0));
    TestProbe<PolicyStore.Reply> pr = kit.createTestProbe();
    policy.tell(new PolicyStore.BlockStrategy(BREAKOUT.id(), Change.by("risk", "unexplained fills"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);

    StrategyRegistry.Evaluation e = evaluate();
    assertEquals(Action.STAY, e.of(BREAKOUT.id()).action());
    assertEquals(List.of("blocked by the policy"), e.of(BREAKOUT.id()).reasons());
    Rejected byHand = rejected(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "I insist", r));
    assertEquals(RejectionCode.NOT_PERMITTED, byHand.code());
    assertTrue(byHand.message(), byHand.message().contains("blocked by the policy"));
    assertEquals(Lifecycle.SHADOW, get(BREAKOUT.id()).state());

    // Unblocked but with an allow list that does not name it: still not promoted.
    policy.tell(new PolicyStore.UnblockStrategy(BREAKOUT.id(), Change.by("risk", "explained"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);
    policy.tell(new PolicyStore.AllowStrategy(INCUMBENT.id(), Change.by("risk", "only the proven one"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);
    assertEquals(List.of("not on the policy's allow list"), evaluate().of(BREAKOUT.id()).reasons());
    assertEquals(RejectionCode.NOT_PERMITTED, rejected(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "x", r)).code());
    assertEquals(List.of(INCUMBENT.id()), live());
  }

  /**
   * Of two challengers that both beat the incumbent, the one with the better shadow record goes live,
   * whatever their ids; the other stays, facing the new incumbent (whose live record is not known yet).
   */
  @Test
  public void ofSeveralQualifyingChallengersTheBestShadowRecordIsPromoted() {
    awaitSeeded();
    StrategySpec first = new StrategySpec("trend-ema-5-30", Template.TREND_EMA_CROSS, new double[] {5, 30, 14, 2.0, 0});
    StrategySpec better = new StrategySpec("trend-ema-8-50", Template.TREND_EMA_CROSS, new double[] {8, 50, 14, 2.0, 0});
    registerInShadow(first, GOOD_SHADOW); // Sharpe 1.8: qualifies, and its id sorts first
    registerInShadow(better, new TrackRecord(45, 21, 0.25, 2.4, 0.06, 1.9));
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE, WEAK_LIVE, null, r));

    StrategyRegistry.Evaluation e = evaluate();
    assertEquals(Action.PROMOTE, e.of(better.id()).action());
    assertEquals(Action.STAY, e.of(first.id()).action());
    assertEquals(List.of("incumbent " + better.id() + " has no live track record to compare with yet"), e.of(first.id()).reasons());
    assertEquals(Action.DEMOTE, e.of(INCUMBENT.id()).action());
    assertEquals(List.of(better.id()), live());
  }

  private StrategyRegistry.Strategies list() {
    TestProbe<StrategyRegistry.Strategies> p = kit.createTestProbe();
    registry.tell(new StrategyRegistry.ListStrategies(null, p.getRef()));
    return p.receiveMessage(T);
  }

  /**
   * The list shows what the latest evaluation said of each SHADOW and LIVE strategy, every condition
   * a shadow one misses included (the policy's refusal first), until the strategy moves.
   */
  @Test
  public void theListShowsTheLatestEvaluationsVerdictUntilTheStrategyMoves() {
    awaitSeeded();
    registerInShadow(BREAKOUT, new TrackRecord(3, 2, 0.01, 0.5, 0.02, 1.3));
    assertEquals("nothing judged before the first evaluation", Map.of(), list().assessments());
    TestProbe<PolicyStore.Reply> pr = kit.createTestProbe();
    policy.tell(new PolicyStore.BlockStrategy(BREAKOUT.id(), Change.by("risk", "under review"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);

    long version = evaluate().policyVersion();
    StrategyRegistry.Assessment a = list().assessments().get(BREAKOUT.id());
    assertEquals(Lifecycle.SHADOW, a.state());
    assertEquals(Action.STAY, a.action());
    assertEquals(version, a.policyVersion());
    assertEquals(List.of("blocked by the policy", "shadow trades 3 not >= 30", "days in shadow 2.0 not >= 14.0",
        "shadow Sharpe 0.50 not >= 1.00"), a.reasons());
    StrategyRegistry.Assessment live = list().assessments().get(INCUMBENT.id());
    assertEquals(Lifecycle.LIVE, live.state());
    assertEquals(List.of("no live track record reported yet"), live.reasons());

    // moved by hand and back to SHADOW before the next evaluation: the old verdict is not shown
    policy.tell(new PolicyStore.UnblockStrategy(BREAKOUT.id(), Change.by("risk", "reviewed"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);
    accepted(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "by hand", r));
    accepted(r -> new StrategyRegistry.Demote(BREAKOUT.id(), "alice", "changed my mind", r));
    accepted(r -> new StrategyRegistry.StartShadow(BREAKOUT.id(), "alice", "again", r));
    assertEquals(Lifecycle.SHADOW, get(BREAKOUT.id()).state());
    assertNull("a verdict made before the strategy moved is not shown", list().assessments().get(BREAKOUT.id()));
    assertEquals(live, list().assessments().get(INCUMBENT.id()));
    evaluate();
    assertEquals(List.of("no shadow track record reported yet"), list().assessments().get(BREAKOUT.id()).reasons());
  }

  /** Blocking a LIVE strategy demotes it at the next evaluation, with the policy's reason, whatever its record. */
  @Test
  public void aLiveStrategyThePolicyBlocksIsDemoted() {
    try (com.quantumtrader.testsupport.CapturedLogs logs = new com.quantumtrader.testsupport.CapturedLogs()) {
      blockTheIncumbent();
      // it was the only LIVE strategy: the fund opens nothing now, which the log says
      assertTrue(logs.warnings().toString(), logs.warnings().stream().anyMatch(m -> m.startsWith("strategy-registry: no LIVE strategy left ("
          + INCUMBENT.id() + " left LIVE)")));
      assertEquals(logs.warnings().toString(), 1, logs.warnings().stream().filter(m -> m.contains("no LIVE strategy left")).count());
    }
  }

  private void blockTheIncumbent() {
    awaitSeeded();
    TestProbe<StrategyPromoted> bus = promotions();
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE, GOOD_SHADOW, null, r));
    TestProbe<PolicyStore.Reply> pr = kit.createTestProbe();
    policy.tell(new PolicyStore.BlockStrategy(INCUMBENT.id(), Change.by("risk", "unexplained fills"), pr.getRef()));
    assertTrue(pr.receiveMessage(T) instanceof PolicyStore.Accepted);
    StrategyRegistry.Evaluation e = evaluate();
    assertEquals(Action.DEMOTE, e.of(INCUMBENT.id()).action());
    StrategyPromoted down = bus.receiveMessage(T);
    assertEquals(INCUMBENT.id(), down.strategyId());
    assertEquals("DOWN", down.direction());
    assertEquals(List.of("blocked by the policy"), down.reasons());
    assertEquals(List.of(), live());
    assertEquals(Lifecycle.DEMOTED, get(INCUMBENT.id()).state());
  }

  @Test
  public void aLiveStrategyWithABadLiveRecordIsDemotedAndLeavesLive() {
    awaitSeeded();
    TestProbe<StrategyPromoted> bus = promotions();
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE,
        new TrackRecord(25, 10, -0.22, -1.5, 0.31, 0.4), null, r));
    StrategyRegistry.Evaluation e = evaluate();
    assertEquals(Action.DEMOTE, e.of(INCUMBENT.id()).action());
    StrategyPromoted down = bus.receiveMessage(T);
    assertEquals(INCUMBENT.id(), down.strategyId());
    assertEquals("DOWN", down.direction());
    assertEquals("LIVE", down.from());
    assertEquals("DEMOTED", down.to());
    assertEquals(List.of("live drawdown 31.0% > limit 25.0%"), down.reasons());
    assertEquals(List.of(), live());
    assertEquals(Lifecycle.DEMOTED, get(INCUMBENT.id()).state());
    // A demoted strategy may prove itself again in shadow.
    assertEquals(Lifecycle.SHADOW, accepted(r -> new StrategyRegistry.StartShadow(INCUMBENT.id(), "alice", "retuned", r)).state());
  }

  @Test
  public void stateAndHistorySurviveARestartOfTheActorSystem() {
    awaitSeeded();
    registerInShadow(CHALLENGER, GOOD_SHADOW);
    accepted(r -> new StrategyRegistry.Register(BREAKOUT, "bob", null, r));
    accepted(r -> new StrategyRegistry.Retire(BREAKOUT.id(), "bob", "duplicate idea", r));
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE, WEAK_LIVE, null, r));
    evaluate(); // CHALLENGER replaces INCUMBENT
    StrategyInfo challenger = get(CHALLENGER.id());
    StrategyInfo incumbent = get(INCUMBENT.id());
    StrategyInfo breakout = get(BREAKOUT.id());

    kit.shutdownTestKit();
    boot();

    assertEquals(challenger, get(CHALLENGER.id()));
    assertEquals(incumbent, get(INCUMBENT.id()));
    assertEquals(breakout, get(BREAKOUT.id()));
    assertEquals(List.of(CHALLENGER.id()), live());
    assertEquals(Lifecycle.DEMOTED, get(INCUMBENT.id()).state());
    assertEquals(3, challenger.history().size()); // registered, shadow, live
    assertEquals("SG_AI", get(CHALLENGER.id()).origin());
    assertEquals(1.4, get(CHALLENGER.id()).backtest().outOfSample().sharpe(), 0);
    assertEquals(GOOD_SHADOW, get(CHALLENGER.id()).shadow());
    // The configured strategies are not registered again on a registry with history.
    assertEquals(2, get(INCUMBENT.id()).history().size());
    TestProbe<StrategyRegistry.Strategies> p = kit.createTestProbe();
    registry.tell(new StrategyRegistry.ListStrategies(null, p.getRef()));
    assertEquals(3, p.receiveMessage(T).strategies().size());
    registry.tell(new StrategyRegistry.ListStrategies(Lifecycle.RETIRED, p.getRef()));
    assertEquals(List.of(BREAKOUT.id()), p.receiveMessage(T).strategies().stream().map(StrategyInfo::id).toList());
  }

  /**
   * A restarted registry evaluates after its first-evaluation delay, not a whole interval (1 h here)
   * later: otherwise one restarted more often than the interval never promotes or demotes.
   */
  @Test
  public void aRestartedRegistryEvaluatesAfterTheFirstDelayNotAWholeIntervalLater() {
    awaitSeeded();
    registerInShadow(CHALLENGER, GOOD_SHADOW);
    accepted(r -> new StrategyRegistry.ReportTrackRecord(INCUMBENT.id(), StrategyRegistry.Book.LIVE, WEAK_LIVE, null, r));
    assertEquals(List.of(INCUMBENT.id()), live()); // nothing evaluated yet (the default delay is a minute)

    kit.shutdownTestKit();
    config = TestNodes.h2(dir, Map.of("QT_STRATEGY_REGISTRY_SNAPSHOT_EVERY", "3", "QT_STRATEGY_REGISTRY_FIRST_EVALUATION_DELAY", "1s"));
    assertEquals(Duration.ofHours(1), StrategyRegistrySettings.fromConfig(config).evaluationInterval());
    boot();

    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(List.of(CHALLENGER.id()), live());
      return null;
    });
    assertEquals("strategy-registry", get(CHALLENGER.id()).history().get(2).by());
  }

  /**
   * A book's figures are kept with its record and survive a restart (what a restarted orchestrator
   * resumes the book from, its open positions included); a report that changes neither the trades,
   * nor the drawdown, nor the open positions, nor the days by an hour is not journaled; a transition
   * starts a period without figures.
   */
  @Test
  public void aBooksFiguresAreKeptPerPeriodAndAMinuteWithoutTradesIsNotJournaled() {
    awaitSeeded();
    registerInShadow(BREAKOUT, null);
    ShadowBook.State figures = new ShadowBook.State(12, 7, 2_500, 103_000, 0.03, 6_000, 3_500, 0, 20 * 86_400_000L);
    TrackRecord twelve = new TrackRecord(12, 20, 0.025, 1.2, 0.03, 1.7);
    StrategyInfo kept = accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW, twelve,
        figures, r));
    assertEquals(figures, kept.book());
    // A minute later, nothing traded: answered with what is kept, nothing journaled
    ShadowBook.State later = new ShadowBook.State(12, 7, 2_500, 103_000, 0.03, 6_000, 3_500, 0, 20 * 86_400_000L + 60_000);
    StrategyInfo same = accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        new TrackRecord(12, 20 + 1.0 / 1440, 0.025, 1.2, 0.03, 1.7), later, r));
    assertEquals(twelve, same.shadow());
    assertEquals(figures, same.book());
    // A deeper drawdown (an open loss) is journaled at once
    TrackRecord deeper = new TrackRecord(12, 20 + 2.0 / 1440, 0.025, 1.2, 0.05, 1.7);
    assertEquals(deeper, accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        deeper, later, r)).shadow());
    // An hour of days more is journaled, and so is a new trade
    TrackRecord hourLater = new TrackRecord(12, 20 + 1.0 / 24, 0.025, 1.2, 0.03, 1.7);
    assertEquals(hourLater, accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        hourLater, later, r)).shadow());
    TrackRecord thirteen = new TrackRecord(13, 20 + 1.0 / 24, 0.03, 1.3, 0.03, 1.8);
    assertEquals(thirteen, accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        thirteen, later, r)).shadow());

    // A higher peak of the marked equity (an open position rallied), nothing else changed: journaled,
    // so that a resumed book measures its drawdown from it
    ShadowBook.State higherPeak = new ShadowBook.State(13, 8, 3_000, 104_000, 0.03, 6_500, 3_500, 0,
        20 * 86_400_000L + 3_630_000);
    assertEquals(higherPeak, accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        new TrackRecord(13, 20 + 60.5 / 1440, 0.03, 1.3, 0.03, 1.8), higherPeak, r)).book());
    // A position opened a minute later, nothing else changed: journaled, so that a resumed book holds it
    ShadowBook.State holding = new ShadowBook.State(13, 8, 3_000, 103_500, 0.03, 6_500, 3_500, 0,
        20 * 86_400_000L + 3_660_000, List.of(new ShadowBook.Position("BTCUSDT", 0, 0, 0, 0, 0, 0.1, 40_000, 4, 39_000, Double.NaN,
            40_100)), 6, 4_010, 0, 0, 0, 0, 0, 0, 0);
    TrackRecord minuteLater = new TrackRecord(13, 20 + 61.0 / 1440, 0.03, 1.3, 0.03, 1.8);
    assertEquals(holding, accepted(r -> new StrategyRegistry.ReportTrackRecord(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        minuteLater, holding, r)).book());

    kit.shutdownTestKit();
    boot();
    awaitSeeded();
    assertEquals(minuteLater, get(BREAKOUT.id()).shadow());
    assertEquals(holding, get(BREAKOUT.id()).book());
    // Promoted: the shadow record stays as history; the live period has no figures yet
    StrategyInfo promoted = accepted(r -> new StrategyRegistry.Promote(BREAKOUT.id(), "alice", "desk decision", r));
    assertEquals(minuteLater, promoted.shadow());
    assertEquals(null, promoted.book());
    assertEquals(null, promoted.live());
  }

  /**
   * A LIVE strategy whose book has only opened a position reports a record of 0 trades (for the
   * book's resumption); it is still an incumbent with nothing to compare with, which a challenger
   * cannot be shown to beat.
   */
  @Test
  public void anIncumbentWithoutAClosedLiveTradeIsNotComparedWith() {
    TrackRecord opened = new TrackRecord(0, 0.5, -0.001, Double.NaN, 0.002, Double.NaN);
    StrategyInfo live = new StrategyInfo(INCUMBENT, Lifecycle.LIVE, "config", null, null, opened, null, List.of());
    LifecycleRules.Incumbent i = StrategyRegistry.incumbent(java.util.Map.of(INCUMBENT.id(), live), Template.TREND_EMA_CROSS);
    assertEquals(INCUMBENT.id(), i.strategyId());
    assertNull(i.live());
    StrategyInfo traded = new StrategyInfo(INCUMBENT, Lifecycle.LIVE, "config", null, null, WEAK_LIVE, null, List.of());
    assertEquals(WEAK_LIVE, StrategyRegistry.incumbent(java.util.Map.of(INCUMBENT.id(), traded), Template.TREND_EMA_CROSS).live());
  }

  /**
   * Of several LIVE strategies of one template the weakest is the incumbent, an undefined live Sharpe
   * counting as 0 (as the promotion bar counts it), in either order of the ids.
   */
  @Test
  public void theIncumbentIsTheWeakestAndAnUndefinedSharpeIsWeakest() {
    TrackRecord undefined = new TrackRecord(5, 20, 0.0, Double.NaN, 0.01, Double.NaN, true);
    TrackRecord strong = new TrackRecord(60, 40, 0.2, 2.0, 0.05, 1.8, true);
    TrackRecord losing = new TrackRecord(40, 30, -0.05, -0.5, 0.12, 0.8, true);
    for (String[] ids : new String[][] {{"a", "b"}, {"b", "a"}}) {
      String at = java.util.Arrays.toString(ids);
      assertEquals(at, ids[0], incumbentOf(ids[0], undefined, ids[1], strong));
      // a losing one is weaker than one not defined yet (0), in either order
      assertEquals(at, ids[1], incumbentOf(ids[0], undefined, ids[1], losing));
    }
    assertEquals("y", incumbentOf("x", strong, "y", WEAK_LIVE));
  }

  /** The incumbent of two LIVE TREND_EMA_CROSS strategies with these live records. */
  private static String incumbentOf(String first, TrackRecord firstLive, String second, TrackRecord secondLive) {
    java.util.Map<String, StrategyInfo> live = new java.util.TreeMap<>();
    for (Object[] s : new Object[][] {{first, firstLive}, {second, secondLive}}) {
      StrategySpec spec = StrategySpec.defaults((String) s[0], Template.TREND_EMA_CROSS);
      live.put(spec.id(), new StrategyInfo(spec, Lifecycle.LIVE, "config", null, null, (TrackRecord) s[1], null, List.of()));
    }
    return StrategyRegistry.incumbent(live, Template.TREND_EMA_CROSS).strategyId();
  }

  /** A record journaled before books reported their figures (no {@code state} field) still reads, without figures. */
  @Test
  public void aRecordJournaledWithoutTheBooksFiguresStillReads() throws Exception {
    StrategyRegistry.TrackRecordReported now = new StrategyRegistry.TrackRecordReported(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        new TrackRecord(12, 20, 0.025, 1.2, 0.03, 1.7), null, java.time.Instant.parse("2026-11-25T10:00:00Z"));
    assertEquals(now, com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), now, "state"));
  }

  /** Figures journaled before books kept their open positions read as a flat book. */
  @Test
  public void figuresJournaledWithoutOpenPositionsReadAsAFlatBook() throws Exception {
    ShadowBook.State flat = new ShadowBook.State(12, 7, 2_500, 103_000, 0.03, 6_000, 3_500, 0, 20 * 86_400_000L);
    StrategyRegistry.TrackRecordReported now = new StrategyRegistry.TrackRecordReported(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        new TrackRecord(12, 20, 0.025, 1.2, 0.03, 1.7), flat, java.time.Instant.parse("2026-11-25T10:00:00Z"));
    assertEquals(now, com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), now, "state.positions", "state.openPnl",
        "state.gross", "state.ordered"));
  }

  /**
   * A record and figures journaled before books kept daily returns read as a Sharpe of another kind
   * (not compared by the decay rule) and a book without daily returns (counted from its resumption).
   */
  @Test
  public void aRecordJournaledBeforeDailyReturnsReadsAsAPerTradeSharpe() throws Exception {
    ShadowBook.State flat = new ShadowBook.State(12, 7, 2_500, 103_000, 0.03, 6_000, 3_500, 0, 20 * 86_400_000L);
    StrategyRegistry.TrackRecordReported now = new StrategyRegistry.TrackRecordReported(BREAKOUT.id(), StrategyRegistry.Book.SHADOW,
        new TrackRecord(12, 20, 0.025, 1.2, 0.03, 1.7, false), flat, java.time.Instant.parse("2026-11-25T10:00:00Z"));
    assertEquals(now, com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), now, "record.dailySharpe", "state.day",
        "state.dailyFrom", "state.dayOpen", "state.dailyReturns", "state.dailyMean", "state.dailyM2"));
  }

  /** The list as a registry of an earlier version sends it (no assessments) reads on a newer node, without verdicts. */
  @Test
  public void aListFromARegistryWithoutAssessmentsStillReads() throws Exception {
    StrategyInfo i = new StrategyInfo(INCUMBENT, Lifecycle.LIVE, "config", null, null, WEAK_LIVE, null, List.of());
    StrategyRegistry.Strategies old = new StrategyRegistry.Strategies(List.of(i));
    assertEquals(old, com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), old, "assessments"));
  }
}
