package com.quantumtrader.analytics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.SyntheticMarket;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * PostgreSQL goes away for 35 s under a running analytics projection, and comes back: the events
 * journaled after it is back reach analytics within seconds. The read journal's sequence tracker
 * (akka-persistence-jdbc's JournalSequenceActor) doubles its delay after each failed query; with its
 * default cap of a minute, a node's analytics lagged 26 to 59 s behind the broker after outages of
 * 60 to 240 s (an acceptance run on a node).
 */
public class AnalyticsDatabaseOutageTest {
  private static final Duration MARK = Duration.ofHours(1);

  @Test
  public void followsTheJournalAgainSoonAfterTheDatabaseIsBack() throws Exception {
    PostgresServer.get(); // skips cleanly when PostgreSQL is not installed
    PostgresServer pg = PostgresServer.startNew(false);
    ActorTestKit kit = null;
    try {
      // Failed queries fail after 1 s (QT_ASK_TIMEOUT is the pool's connection timeout), and the read
      // journal's tracker starts from a 50 ms delay (1 s by default), so that a 35 s outage takes its
      // doubling delay where a long outage takes the default one: past 25 s without the cap in
      // application.conf, which held analytics back 23.2 s after the outage in one run (0.5 s with it).
      Config config = com.typesafe.config.ConfigFactory.parseString("jdbc-read-journal.journal-sequence-retrieval.query-delay = 50ms")
          .withFallback(TestNodes.postgres(pg, Map.of("QT_ASK_TIMEOUT", "1s")));
      kit = ActorTestKit.create("QuantumTrader", config);
      AnalyticsProjection.Settings settings = new AnalyticsProjection.Settings(AnalyticsProjectionTest.target(config),
          List.of(PaperBroker.TAG), MARK, 50);
      ActorRef<PaperBroker.Command> broker = kit.spawn(PaperBroker.create(
          new PaperBroker.Settings(50_000, 0.001, 0.0005, MARK, Duration.ofMinutes(10)), "broker-analytics-outage"));
      List<Bar> bars = new ArrayList<>();
      SyntheticMarket m = new SyntheticMarket(5, 2, "1h", 0, 60);
      for (Bar b; (b = m.next()) != null; ) bars.add(b);
      ActorRef<AnalyticsProjection.Command> projection = kit.spawn(AnalyticsProjection.create(settings));
      ActorTestKit k = kit;

      AnalyticsProjectionTest.trade(kit, broker, bars.subList(0, 40), 0);
      awaitCaughtUp(k, projection, Duration.ofSeconds(20));

      pg.pause();
      Thread.sleep(Long.getLong("qt.test.outageMs", 35_000));
      pg.resume();
      long up = System.nanoTime();
      // the broker restarts with backoff and journals again: the rest of the bars, acknowledged once written
      AnalyticsProjectionTest.trade(kit, broker, bars.subList(40, bars.size()), 40);
      long written = System.nanoTime();
      System.out.printf("the broker wrote the bars after the outage by %.1f s after the database was back%n", (written - up) / 1e9);
      awaitCaughtUp(k, projection, Duration.ofSeconds(60));
      double lag = (System.nanoTime() - written) / 1e9;
      System.out.printf("analytics caught up %.1f s after the broker's last write%n", lag);
      assertTrue("analytics caught up " + lag + " s after the last write", lag < 12);
    } finally {
      if (kit != null) kit.shutdownTestKit();
      pg.stop();
    }
  }

  private static void awaitCaughtUp(ActorTestKit kit, ActorRef<AnalyticsProjection.Command> projection, Duration max) {
    kit.createTestProbe().awaitAssert(max, Duration.ofMillis(200), () -> {
      long last = AnalyticsProjectionTest.fromJournal(kit).lastOffset();
      assertTrue(last > 0);
      Long at = AnalyticsProjectionTest.progress(kit, projection).offsets().get(PaperBroker.TAG);
      assertEquals(last, at == null ? -1 : (long) at);
      return null;
    });
  }
}
