package com.quantumtrader.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

/**
 * PostgreSQL goes away under a running monitor: the journal probe fails, the node turns CRITICAL
 * with a journal reason within a bounded time, and it is HEALTHY again once the database is back,
 * without a restart.
 */
public class HealthMonitorDatabaseOutageTest {

  @Test
  public void turnsCriticalWhileTheJournalDatabaseIsDownAndHealthyWhenItIsBack() throws Exception {
    PostgresServer.get(); // skips cleanly when PostgreSQL is not installed
    PostgresServer pg = PostgresServer.startNew(false);
    ActorTestKit kit = null;
    try {
      Config config = TestNodes.postgres(pg, Map.of(
          "QT_ASK_TIMEOUT", "2s",
          "QT_HEALTH_CHECK_INTERVAL", "500ms",
          "QT_HEALTH_PROBE_TIMEOUT", "1500ms",
          "QT_HEALTH_JOURNAL_LATENCY_DEGRADED", "1s"));
      kit = ActorTestKit.create("QuantumTrader", config);
      HealthSettings settings = HealthSettings.fromConfig(config);
      ActorRef<HealthMonitor.Command> monitor = kit.spawn(HealthMonitor.create(settings, null), "health-monitor");
      TestProbe<HealthMonitor.Health> reply = kit.createTestProbe();

      awaitStatus(kit, monitor, reply, HealthStatus.HEALTHY, Duration.ofSeconds(20));

      pg.pause();
      long down = System.nanoTime();
      // journal-failures-critical (3) probes of at most 1.5 s each, one check at a time.
      HealthMonitor.Health critical = awaitStatus(kit, monitor, reply, HealthStatus.CRITICAL, Duration.ofSeconds(20));
      System.out.printf("CRITICAL %.1f s after the database stopped: %s%n", (System.nanoTime() - down) / 1e9, critical.reasons());
      assertTrue(critical.reasons().toString(), critical.reasons().get(0).startsWith("journal: "));
      assertEquals(HealthStatus.CRITICAL, critical.lastPublished().status());

      pg.resume();
      long up = System.nanoTime();
      // The probe restarts with at most 2 s backoff, recovers and writes again.
      HealthMonitor.Health healthy = awaitStatus(kit, monitor, reply, HealthStatus.HEALTHY, Duration.ofSeconds(40));
      System.out.printf("HEALTHY %.1f s after the database came back%n", (System.nanoTime() - up) / 1e9);
      assertTrue(healthy.observation().journal().lastSucceeded());
      assertEquals(0, healthy.observation().journal().consecutiveFailures());
    } finally {
      if (kit != null) kit.shutdownTestKit();
      pg.stop();
    }
  }

  private static HealthMonitor.Health awaitStatus(ActorTestKit kit, ActorRef<HealthMonitor.Command> monitor,
      TestProbe<HealthMonitor.Health> reply, HealthStatus expected, Duration max) {
    return kit.createTestProbe().awaitAssert(max, Duration.ofMillis(250), () -> {
      monitor.tell(new HealthMonitor.GetHealth(reply.getRef()));
      HealthMonitor.Health h = reply.receiveMessage(Duration.ofSeconds(2));
      assertNotNull("no check completed yet", h.checkedAt());
      assertEquals(h.reasons().toString(), expected, h.status());
      return h;
    });
  }
}
