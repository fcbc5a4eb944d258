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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What the feed says of its source: a source that holds no valid candle (an empty file, or nothing
 * but rejected rows) completes with a warning that says so, not with the normal "completed" line an
 * operator would read as a replay; a bar that spikes and comes back is named and counted.
 */
public class MarketFeedSourceReportTest {
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
    MarketFeed.Status s = completed(feed);
    assertEquals(0, s.barsDelivered());
    assertEquals(2, s.rejected());
    TestProbe<MarketFeed.Status> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      List<String> warnings = logs.warnings();
      assertTrue(warnings.toString(), warnings.stream().anyMatch(w ->
          w.contains("completed without a bar to deliver: its source holds no valid candle (2 rejected rows")));
      return null;
    });
  }

  /** The feed's status once it has completed (asked until it has). */
  private MarketFeed.Status completed(ActorRef<MarketFeed.Command> feed) {
    TestProbe<MarketFeed.Status> probe = kit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(10), () -> {
      feed.tell(new MarketFeed.GetStatus(probe.getRef()));
      MarketFeed.Status s = probe.receiveMessage();
      assertEquals("COMPLETED", s.state());
      return s;
    });
  }

  /** A source of these bars, of two symbols. */
  private static BarSource of(List<Bar> bars) {
    Iterator<Bar> it = bars.iterator();
    return new BarSource() {
      public Bar next() {
        return it.hasNext() ? it.next() : null;
      }

      public List<String> symbols() {
        return List.of("AAAUSDT", "BBBUSDT");
      }

      public RejectCounts rejects() {
        return new RejectCounts();
      }

      public void close() {}
    };
  }

  /**
   * A bar that spikes and comes back passes every row check: the feed delivers it as it came (a flash
   * crash is real too), names it in a WARN, and counts it by symbol in its status.
   */
  @Test
  public void aSpikeIsDeliveredNamedAndCounted() {
    List<Bar> bars = new ArrayList<>();
    long h = 3_600_000L, t0 = 1_700_000_000_000L - 1_700_000_000_000L % h;
    for (int i = 0; i < 40; i++) {
      double a = i == 10 || i == 30 ? 400 : 100; // two spikes of AAA, each back by the next bar
      double b = i == 20 ? 10 : 50; // one of BBB, down
      bars.add(Bar.of("AAAUSDT", "1h", t0 + i * h, a, a, a, a, 1));
      bars.add(Bar.of("BBBUSDT", "1h", t0 + i * h, b, b, b, b, 1));
    }
    ConcurrentLinkedQueue<Double> delivered = new ConcurrentLinkedQueue<>();
    MarketFeed.Delivery keep = batch -> {
      for (double c : batch.close()) delivered.add(c);
      return CompletableFuture.completedFuture(Done.getInstance());
    };
    ActorRef<MarketFeed.Command> feed = kit.spawn(MarketFeed.create(MarketSettings.fromConfig(kit.system().settings().config()).withSpeed(0),
        of(bars), keep, null));
    MarketFeed.Status s = completed(feed);
    assertEquals(80, s.barsDelivered());
    assertEquals(Map.of("AAAUSDT", 2L, "BBBUSDT", 1L), s.possibleBadTicks());
    assertEquals(3, s.possibleBadTicksTotal());
    TestProbe<MarketFeed.Status> probe = kit.createTestProbe();
    // delivered as they came
    assertEquals(2, delivered.stream().filter(c -> c == 400).count());
    assertEquals(1, delivered.stream().filter(c -> c == 10).count());
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      List<String> w = logs.warnings();
      assertTrue(w.toString(), w.stream().anyMatch(l -> l.contains("market feed: possible bad tick, delivered as it came: AAAUSDT bar of "
          + java.time.Instant.ofEpochMilli(t0 + 10 * h).toString().replace('T', ' ').substring(0, 16)
          + ": high 400 after a close of 100, next close 100 (moved 3x or more from the close before and back)")));
      assertTrue(w.toString(), w.stream().anyMatch(l -> l.contains(": low 10 after a close of 50, next close 50")));
      assertTrue(logs.messages().toString(), logs.messages().stream().anyMatch(l -> l.contains("completed: 80 bars delivered")
          && l.endsWith(", 3 possible bad ticks (AAAUSDT 2, BBBUSDT 1)")));
      return null;
    });
  }
}
