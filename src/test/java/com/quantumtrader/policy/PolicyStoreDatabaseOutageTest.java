package com.quantumtrader.policy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * PostgreSQL goes away under a running Policy Store: a change asked for meanwhile is not
 * acknowledged, nothing acknowledged before is lost, and the store serves again once the database
 * is back, without a restart of the node.
 */
public class PolicyStoreDatabaseOutageTest {

  @Test
  public void nothingAcknowledgedIsLostWhenTheDatabaseGoesAwayAndComesBack() throws Exception {
    PostgresServer.get(); // skips cleanly when PostgreSQL is not installed
    PostgresServer pg = PostgresServer.startNew(false);
    ActorTestKit kit = null;
    try {
      Config config = TestNodes.postgres(pg, Map.of("QT_ASK_TIMEOUT", "2s"));
      kit = ActorTestKit.create("QuantumTrader", config);
      ActorRef<PolicyStore.Command> store = kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
      var sched = kit.system().scheduler();
      Duration t = Duration.ofSeconds(5);

      PolicyStore.Reply first = AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(store,
          rt -> new PolicyStore.SetRiskMode(RiskMode.DEFENSIVE, Change.by("ops", "before outage"), rt), t, sched)
          .toCompletableFuture().get();
      assertTrue(first instanceof PolicyStore.Accepted);

      pg.pause();
      try {
        PolicyStore.Reply during = AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(store,
            rt -> new PolicyStore.SetRiskMode(RiskMode.AGGRESSIVE, Change.by("ops", "during outage"), rt), t, sched)
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        fail("a change was acknowledged while the database was down: " + during);
      } catch (ExecutionException expected) {
        // the ask timed out: the caller knows the change was not made
      }
      pg.resume();

      // The store restarts with backoff and recovers from the journal once the database answers.
      TestProbe<Object> probe = kit.createTestProbe();
      PolicyStore.PolicyView recovered = probe.awaitAssert(Duration.ofSeconds(40), Duration.ofSeconds(1), () -> {
        try {
          return AskPattern.<PolicyStore.Command, PolicyStore.PolicyView>ask(store, PolicyStore.Get::new, Duration.ofSeconds(2), sched)
              .toCompletableFuture().get();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals(RiskMode.DEFENSIVE, recovered.policy().riskMode());
      assertEquals(2, recovered.version());

      PolicyStore.Reply after = AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(store,
          rt -> new PolicyStore.SetRiskMode(RiskMode.NORMAL, Change.by("ops", "after outage"), rt), t, sched)
          .toCompletableFuture().get();
      assertEquals(3, ((PolicyStore.Accepted) after).policy().version());
      List<String> reasons = new PolicyHistory(kit.system()).page(PolicyHistory.Query.newest(10))
          .toCompletableFuture().get().entries().stream().map(PolicyHistory.Entry::reason).toList();
      // the oldest entry is the initial policy, journaled with the first change
      assertEquals(List.of("after outage", "before outage", "the initial policy of the node's configuration"), reasons);
    } finally {
      if (kit != null) kit.shutdownTestKit();
      pg.stop();
    }
  }
}
