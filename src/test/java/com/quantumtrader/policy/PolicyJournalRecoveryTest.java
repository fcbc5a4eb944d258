package com.quantumtrader.policy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.Test;

/**
 * The policy history survives a full stop of the actor system, on the real journals: PostgreSQL
 * (production) and embedded H2 (the zero-setup default).
 */
public class PolicyJournalRecoveryTest {
  private static final int CHANGES = 1000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  public void postgresKeepsAThousandChangesAcrossARestart() throws Exception {
    String url = PostgresServer.get().newDatabase();
    writeRestartAndReadBack(TestNodes.postgres(url, Map.of("QT_POLICY_SNAPSHOT_EVERY", "100")));
  }

  @Test
  public void h2KeepsAThousandChangesAcrossARestart() throws Exception {
    Path dir = Files.createTempDirectory("qt-h2-");
    writeRestartAndReadBack(TestNodes.h2(dir, Map.of("QT_POLICY_SNAPSHOT_EVERY", "100")));
  }

  private void writeRestartAndReadBack(Config config) throws Exception {
    List<String> reasons = new ArrayList<>();
    PolicyStore.PolicyView written;
    ActorTestKit first = ActorTestKit.create("QuantumTrader", config);
    try {
      ActorRef<PolicyStore.Command> store = first.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
      // Every change is a real one: the mode cycles through all three starting away from NORMAL, and
      // the position limit never equals a preset's.
      RiskMode[] modes = {RiskMode.DEFENSIVE, RiskMode.AGGRESSIVE, RiskMode.NORMAL};
      for (int i = 0; i < CHANGES; i++) {
        String reason = "change " + i;
        reasons.add(reason);
        final int n = i;
        PolicyStore.Reply r =
            ask(first.system(), store, rt -> n % 2 == 0
                ? new PolicyStore.SetRiskMode(modes[(n / 2) % 3], Change.by("op" + (n % 7), reason), rt)
                : new PolicyStore.ChangeLimits(null, null, 100 + n % 800, null, Change.by("op" + (n % 7), reason), rt));
        assertTrue("change " + i + " accepted: " + r, r instanceof PolicyStore.Accepted a && a.changed());
      }
      written = AskPattern.<PolicyStore.Command, PolicyStore.PolicyView>ask(
              store, PolicyStore.Get::new, TIMEOUT, first.system().scheduler())
          .toCompletableFuture().get();
      assertEquals(CHANGES + 1, written.version()); // + the initial policy recorded with the first change
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("QuantumTrader", config);
    try {
      ActorRef<PolicyStore.Command> store = second.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
      PolicyStore.PolicyView recovered = AskPattern.<PolicyStore.Command, PolicyStore.PolicyView>ask(
              store, PolicyStore.Get::new, TIMEOUT, second.system().scheduler())
          .toCompletableFuture().get();
      assertEquals(written, recovered);

      // The whole history, newest first, read page by page from the journal.
      PolicyHistory history = new PolicyHistory(second.system());
      List<PolicyHistory.Entry> all = new ArrayList<>();
      Long before = null;
      do {
        PolicyHistory.Page page = history.page(new PolicyHistory.Query(before, null, null, 137)).toCompletableFuture().get();
        all.addAll(page.entries());
        before = page.nextBeforeVersion();
      } while (before != null);
      assertEquals(CHANGES + 1, all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(CHANGES + 1 - i, all.get(i).version());
      }
      PolicyHistory.Entry oldest = all.get(all.size() - 1);
      assertEquals("PolicyInitialized", oldest.kind());
      for (int i = 0; i < CHANGES; i++) {
        PolicyHistory.Entry e = all.get(CHANGES - 1 - i);
        assertEquals(reasons.get(i), e.reason());
        assertEquals("op" + (i % 7), e.changedBy());
      }

      // By time range: the newest 10 changes' window.
      Instant from = all.get(9).at();
      PolicyHistory.Page recent = history.page(new PolicyHistory.Query(null, from, null, 1000)).toCompletableFuture().get();
      assertTrue(recent.entries().size() >= 10);
      assertTrue(recent.entries().stream().allMatch(e -> !e.at().isBefore(from)));
      assertNull(recent.nextBeforeVersion());
    } finally {
      second.shutdownTestKit();
    }
  }

  private static PolicyStore.Reply ask(
      ActorSystem<?> system,
      ActorRef<PolicyStore.Command> store,
      akka.japi.function.Function<ActorRef<PolicyStore.Reply>, PolicyStore.Command> f)
      throws Exception {
    CompletionStage<PolicyStore.Reply> r = AskPattern.ask(store, f, TIMEOUT, system.scheduler());
    return r.toCompletableFuture().get();
  }
}
