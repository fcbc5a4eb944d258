package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.quantumtrader.testsupport.CapturedLogs;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A source that holds no valid candle (an empty file, or nothing but rejected rows) completes with a
 * warning that says so, not with the normal "completed" line an operator would read as a replay.
 */
public class MarketFeedEmptyTest {
  private CapturedLogs logs;
  private ActorTestKit kit;

  @Before
  public void start() {
    logs = new CapturedLogs();
    kit = ActorTestKit.create(TestNodes.local());
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
    logs.close();
  }

  private static BarSource onlyRejectedRows(RejectCounts rejects) {
    return new BarSource() {
      public Bar next() {
        return null;
      }

      public List<String> symbols() {
        return List.of("XYZUSDT");
      }

      public RejectCounts rejects() {
        return rejects;
      }

      public void close() {}
    };
  }

  @Test
  public void aSourceWithoutAValidCandleCompletesWithAWarningThatSaysSo() {
    RejectCounts rejects = new RejectCounts();
    rejects.reject("XYZUSDT", RejectReason.HIGH_BELOW_LOW);
    rejects.reject("XYZUSDT", RejectReason.HIGH_BELOW_LOW);
    MarketFeed.Delivery nothing = b -> CompletableFuture.completedFuture(Done.getInstance());
    ActorRef<MarketFeed.Command> feed = kit.spawn(MarketFeed.create(MarketSettings.fromConfig(kit.system().settings().config()),
        onlyRejectedRows(rejects), nothing, null));
    TestProbe<MarketFeed.Status> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      feed.tell(new MarketFeed.GetStatus(probe.getRef()));
      MarketFeed.Status s = probe.receiveMessage();
      assertEquals("COMPLETED", s.state());
      assertEquals(0, s.barsDelivered());
      assertEquals(2, s.rejected());
      return null;
    });
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      List<String> warnings = logs.warnings();
      assertTrue(warnings.toString(), warnings.stream().anyMatch(w ->
          w.contains("completed without a bar to deliver: its source holds no valid candle (2 rejected rows")));
      return null;
    });
  }
}
