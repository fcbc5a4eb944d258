package com.quantumtrader.execution;

import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.quantumtrader.testsupport.CapturedLogs;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The broker restarts on a journal failure (a database outage) without running its setup again:
 * what it schedules must be scheduled again on recovery. Its portfolio summary stopped for good
 * after the first outage.
 */
public class PaperBrokerRestartTest {
  private static final long HOUR = 3_600_000L;
  private ActorTestKit kit;
  private PersistenceTestKit journal;

  @Before
  public void start() {
    kit = ActorTestKit.create("QuantumTrader", PersistenceTestKitPlugin.getInstance().config()
        .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config()).withFallback(TestNodes.local()));
    journal = PersistenceTestKit.create(kit.system());
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  private static void bar(ActorRef<PaperBroker.Command> broker, long t, long seq, ActorRef<PaperBroker.BarsApplied> ack) {
    broker.tell(new PaperBroker.Bars("BTCUSDT", "1h", new long[] {t}, new double[] {100}, new double[] {101}, new double[] {99},
        new double[] {100}, seq, ack));
  }

  private static long summaries(CapturedLogs logs, int from) {
    List<String> m = logs.messages();
    return m.subList(Math.min(from, m.size()), m.size()).stream().filter(s -> s.startsWith("portfolio: equity")).count();
  }

  @Test
  public void theSummaryGoesOnAfterARestartOnAJournalFailure() {
    try (CapturedLogs logs = new CapturedLogs()) {
      ActorRef<PaperBroker.Command> broker = kit.spawn(PaperBroker.create(
          new PaperBroker.Settings(100_000, 0.001, 0.0005, Duration.ofHours(1), Duration.ofMillis(100)), "broker-restart"));
      TestProbe<PaperBroker.BarsApplied> ack = kit.createTestProbe();
      bar(broker, 0, 1, ack.getRef()); // funds the book
      ack.receiveMessage(Duration.ofSeconds(10));
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
        assertTrue(summaries(logs, 0) > 0);
        return null;
      });

      journal.failNextPersisted();
      bar(broker, 2 * HOUR, 2, ack.getRef()); // its equity mark fails to persist: the broker restarts
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
        assertTrue(logs.messages().stream().anyMatch(m -> m.startsWith("paper-broker recovered")));
        return null;
      });
      int recovered = logs.messages().size();
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
        assertTrue("no summary after the restart", summaries(logs, recovered) >= 2);
        return null;
      });
    }
  }
}
