package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.strategy.StrategyGenerator.RunReply;
import com.quantumtrader.strategy.StrategyGenerator.RunStatus;
import com.quantumtrader.strategy.StrategyRegistry.Lifecycle;
import com.quantumtrader.strategy.StrategyRegistry.Reply;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.Test;

/**
 * PostgreSQL goes away under the strategy registry and the Strategy Generator: what is asked
 * meanwhile is not acknowledged, what was acknowledged before is all there once the database is
 * back, and both serve again within seconds of it, without a restart of the node (the journal
 * plugins' circuit breakers try again every 5 s, application.conf).
 */
public class StrategyLifecycleDatabaseOutageTest {
  private static final Duration T = Duration.ofSeconds(5);

  private ActorTestKit kit;

  private Reply registry(ActorRef<StrategyRegistry.Command> registry, Function<ActorRef<Reply>, StrategyRegistry.Command> c,
      Duration within) {
    TestProbe<Reply> p = kit.createTestProbe();
    registry.tell(c.apply(p.getRef()));
    return p.receiveMessage(within);
  }

  /** The answer within {@code within}, or null when none came. */
  private <R> R answerOrNull(java.util.function.Consumer<ActorRef<R>> send, Class<R> type, Duration within) {
    TestProbe<R> p = kit.createTestProbe(type);
    send.accept(p.getRef());
    try {
      return p.receiveMessage(within);
    } catch (AssertionError none) {
      return null;
    }
  }

  private static StrategySpec spec(String id) {
    return StrategySpec.defaults(id, Template.TREND_EMA_CROSS);
  }

  @Test
  public void nothingAcknowledgedIsLostAndBothServeAgainWhenTheDatabaseComesBack() throws Exception {
    PostgresServer.get(); // skips cleanly when PostgreSQL is not installed
    PostgresServer pg = PostgresServer.startNew(false);
    try {
      Config config = TestNodes.postgres(pg, Map.of("QT_ASK_TIMEOUT", "2s"));
      kit = ActorTestKit.create("QuantumTrader", config);
      ActorRef<PolicyStore.Command> policy = kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
      ActorRef<StrategyRegistry.Command> registry =
          kit.spawn(StrategyRegistry.create(StrategyRegistrySettings.fromConfig(config), List.of(), policy, T));
      ActorRef<StrategyGenerator.Command> generator =
          kit.spawn(StrategyGenerator.create(new StrategyGenerator.Settings(200, 50, 3_000, java.util.Set.of(), true, 0.65), registry));

      // acknowledged before the outage: a candidate, moved to SHADOW by an operator
      assertTrue(registry(registry, rt -> new StrategyRegistry.Register(spec("before"), "otto", null, rt), T)
          instanceof StrategyRegistry.Accepted);
      assertTrue(registry(registry, rt -> new StrategyRegistry.StartShadow("before", "otto", "watch it", rt), T)
          instanceof StrategyRegistry.Accepted);

      pg.pause();
      // asked during the outage: not acknowledged (no answer, or a refusal), so the caller knows
      Duration noAnswer = Duration.ofSeconds(5);
      Reply during = answerOrNull(rt -> registry.tell(new StrategyRegistry.Register(spec("during"), "otto", null, rt)), Reply.class, noAnswer);
      assertFalse("a registration was acknowledged while the database was down: " + during,
          during instanceof StrategyRegistry.Accepted);
      Reply retire = answerOrNull(rt -> registry.tell(new StrategyRegistry.Retire("before", "otto", "during the outage", rt)),
          Reply.class, noAnswer);
      assertFalse("a retirement was acknowledged while the database was down: " + retire,
          retire instanceof StrategyRegistry.Accepted);
      RunReply run = answerOrNull(rt -> generator.tell(
          new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, null, null, 20, 3, 1L, "otto", rt)), RunReply.class, noAnswer);
      assertFalse("a run was acknowledged as started while the database was down: " + run,
          run instanceof RunStatus s && s.state().equals("RUNNING"));
      pg.resume();

      // Both restart with backoff and recover from the journal once the database answers.
      TestProbe<Object> wait = kit.createTestProbe();
      StrategyRegistry.StrategyInfo before = wait.awaitAssert(Duration.ofSeconds(40), Duration.ofSeconds(1), () -> {
        Reply r = registry(registry, rt -> new StrategyRegistry.Get("before", rt), Duration.ofSeconds(2));
        assertTrue(String.valueOf(r), r instanceof StrategyRegistry.Accepted);
        return ((StrategyRegistry.Accepted) r).strategy();
      });
      // The acknowledged move is kept. The registration that was being written when the database went
      // away is gone (its write failed); the retirement asked while the registry was restarting waited
      // for it and was made once it had recovered: unconfirmed is not the same as not made (the API's
      // 503 says so).
      assertEquals(List.of("watch it", "during the outage"),
          before.history().stream().skip(1).map(StrategyRegistry.Transition::reason).toList());
      assertEquals(Lifecycle.RETIRED, before.state());
      Reply gone = registry(registry, rt -> new StrategyRegistry.Get("during", rt), T);
      assertTrue("nothing of the unacknowledged registration: " + gone, gone instanceof StrategyRegistry.Rejected);
      StrategyGenerator.Runs runs = wait.awaitAssert(Duration.ofSeconds(40), Duration.ofSeconds(1), () -> {
        StrategyGenerator.Runs r =
            answerOrNull(rt -> generator.tell(new StrategyGenerator.ListRuns(rt)), StrategyGenerator.Runs.class, Duration.ofSeconds(2));
        assertNotNull("the generator does not answer yet", r);
        return r;
      });
      // The start asked during the outage was not acknowledged; like the retirement, it may still have
      // been made once the database answered (its write was waiting, not failed: under load the 5 s
      // wait ended first). Either it is not there, or it is a run like any other, which ends DONE.
      assertTrue("at most the unacknowledged start: " + runs, runs.runs().size() <= 1);
      for (RunStatus unconfirmed : runs.runs()) {
        wait.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
          RunReply r = answerOrNull(rt -> generator.tell(new StrategyGenerator.GetRun(unconfirmed.runId(), rt)), RunReply.class,
              Duration.ofSeconds(2));
          assertTrue(String.valueOf(r), r instanceof RunStatus st && st.state().equals("DONE"));
          return null;
        });
      }

      // and they serve again: a registration, and a run that ends DONE with its candidates registered
      assertTrue(registry(registry, rt -> new StrategyRegistry.Register(spec("after"), "otto", null, rt), T)
          instanceof StrategyRegistry.Accepted);
      TestProbe<RunReply> started = kit.createTestProbe();
      generator.tell(new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, null, null, 20, 3, 1L, "otto", started.getRef()));
      RunStatus s = (RunStatus) started.receiveMessage(T);
      assertEquals("RUNNING", s.state());
      RunStatus done = wait.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
        RunReply r =
            answerOrNull(rt -> generator.tell(new StrategyGenerator.GetRun(s.runId(), rt)), RunReply.class, Duration.ofSeconds(2));
        assertTrue(String.valueOf(r), r instanceof RunStatus st && st.state().equals("DONE"));
        return (RunStatus) r;
      });
      assertNull(done.error());
      assertFalse(done.candidates().isEmpty());
    } finally {
      if (kit != null) kit.shutdownTestKit();
      pg.stop();
    }
  }
}
