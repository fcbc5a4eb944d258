package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.testsupport.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

/**
 * The embedded H2 journal shut down under a running node (an operator's {@code SHUTDOWN}): the node
 * serves again by itself, its pool opening the database anew (11 s here). Not covered: a database H2
 * closes itself on a fatal write error (a full disk: "The database has been closed"), after which a
 * node in an audit did not recover without a restart (docs/operations.md).
 */
public class H2ClosedDatabaseTest {
  private static final Duration T = Duration.ofSeconds(10);

  @Test
  public void aNodeServesAgainAfterItsEmbeddedDatabaseWasClosed() throws Exception {
    Path dir = Files.createTempDirectory("qt-h2-closed-");
    ActorSystem<Guardian.Command> node = Node.start(TestNodes.forNode(Map.of("QT_DATA_DIR", dir.toString(), "QT_MARKET_ENABLED", "false")));
    try {
      ActorRef<PolicyStore.Command> store = AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T,
          node.scheduler()).toCompletableFuture().get().policyStore();
      assertTrue(set(node, store, RiskMode.DEFENSIVE, "before") instanceof PolicyStore.Accepted);
      // the database closed under the node's pool, as H2 closes it on a disk-full write
      try (Connection c = DriverManager.getConnection(new Settings.Db("", "sa", "", 1, T).jdbcUrl(dir), "sa", "")) {
        c.createStatement().execute("SHUTDOWN");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      PolicyStore.Reply after = null;
      while (System.nanoTime() < deadline) {
        try {
          after = set(node, store, RiskMode.AGGRESSIVE, "after");
          if (after instanceof PolicyStore.Accepted) break;
        } catch (Exception notYet) {
          Thread.sleep(1000);
        }
      }
      assertTrue("no change accepted within 90 s of the database closing: " + after, after instanceof PolicyStore.Accepted);
      assertEquals(RiskMode.AGGRESSIVE, ((PolicyStore.Accepted) after).policy().policy().riskMode());
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private static PolicyStore.Reply set(ActorSystem<?> node, ActorRef<PolicyStore.Command> store, RiskMode mode, String why)
      throws Exception {
    return AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(store, rt -> new PolicyStore.SetRiskMode(mode, Change.by("ops", why), rt),
        Duration.ofSeconds(5), node.scheduler()).toCompletableFuture().get();
  }
}
