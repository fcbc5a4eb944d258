package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A paced feed whose deliveries stall (the broker restarting during a database outage) goes on one
 * time step per batch at its pace afterwards. Before, the steps released meanwhile were merged into
 * one batch per symbol and the replay rushed to catch up: the book got days of one symbol's bars at
 * once, then the next symbol's, and entries decided on them filled days later, past their stops.
 */
public class MarketFeedStallTest {
  private ActorTestKit kit;

  @Before
  public void start() {
    kit = ActorTestKit.create(ConfigFactory.parseString("quantum-trader.market.parallelism = 2").withFallback(TestNodes.local()));
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  private static BarSource hourly(int steps, String... symbols) {
    List<Bar> bars = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      for (String s : symbols) bars.add(new Bar(s, "1h", t * 3_600_000L, 100, 101, 99, 100, 10, 1000, 1, false));
    }
    return new BarSource() {
      int i;

      public Bar next() {
        return i < bars.size() ? bars.get(i++) : null;
      }

      public List<String> symbols() {
        return List.of(symbols);
      }

      public RejectCounts rejects() {
        return new RejectCounts();
      }

      public void close() {}
    };
  }

  @Test
  public void afterAStallEachBatchIsOneTimeStepAtThePace() throws Exception {
    // the stall lasts 3 s from the first delivery (not from the spawn: a loaded machine starts late)
    java.util.concurrent.atomic.AtomicLong stallEnd = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    List<long[]> batches = Collections.synchronizedList(new ArrayList<>()); // {bars, when delivered}
    MarketFeed.Delivery stalling = b -> {
      long now = System.currentTimeMillis();
      stallEnd.compareAndSet(Long.MAX_VALUE, now + 3_000);
      batches.add(new long[] {b.openTime().length, now});
      long wait = stallEnd.get() - now;
      return wait <= 0 ? CompletableFuture.completedFuture(Done.getInstance())
          : CompletableFuture.supplyAsync(() -> Done.getInstance(),
              CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.MILLISECONDS));
    };
    // 10 hourly steps of 2 symbols at 7200x: a step every 0.5 s, 5 s of replay, the first 3 s stalled
    MarketSettings settings = MarketSettings.fromConfig(kit.system().settings().config()).withSpeed(7200);
    var feed = kit.spawn(MarketFeed.create(settings, hourly(10, "AAAUSDT", "BBBUSDT"), stalling, null));
    // during the stall the feed's status says how long it has waited (it still runs)
    var status = kit.<MarketFeed.Status>createTestProbe();
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(100), () -> {
      feed.tell(new MarketFeed.GetStatus(status.ref()));
      MarketFeed.Status during = status.receiveMessage();
      assertEquals("RUNNING", during.state());
      assertTrue("waited " + during.waitingSeconds() + " s", during.waitingSeconds() >= 2);
      assertTrue("asked before the stall ended", System.currentTimeMillis() < stallEnd.get());
      return null;
    });
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(20), () -> {
      assertEquals(20, batches.stream().mapToLong(b -> b[0]).sum());
      feed.tell(new MarketFeed.GetStatus(status.ref()));
      assertEquals(0, status.receiveMessage().waitingSeconds());
      return null;
    });
    long stallUntil = stallEnd.get();
    for (long[] b : batches) assertEquals("one step of one symbol per batch: " + batches.size() + " batches", 1, b[0]);
    // after the stall the steps come at the pace again: the last is about 0.5 s × the steps not yet
    // released when the stall ended after it, not all at once
    long last = batches.get(batches.size() - 1)[1];
    assertTrue("the last batch came " + (last - stallUntil) + " ms after the stall: a burst", last - stallUntil >= 1_500);
  }
}
