package com.quantumtrader.execution;

import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
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
    kit = ActorTestKit.create("QuantumTrader", TestNodes.localOnPersistenceTestKit());
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

  private static com.quantumtrader.market.BarBatcher.Batch batch(long t, double close) {
    return new com.quantumtrader.market.BarBatcher.Batch("BTCUSDT", "1h", new long[] {t}, new double[] {close}, new double[] {close},
        new double[] {close}, new double[] {close}, new double[] {1e6}, 0);
  }

  /**
   * A batch the broker does not take in time is offered again until it does: the feed waits for the
   * book instead of going on without it (before, a failed delivery counted as done, and the book
   * never saw the bars of a database outage: its positions went unmarked and their stops unworked).
   */
  @Test
  public void aBatchTheBrokerDoesNotTakeIsOfferedAgainUntilItDoes() throws Exception {
    java.util.concurrent.atomic.AtomicInteger offers = new java.util.concurrent.atomic.AtomicInteger();
    // a broker that does not answer the first three offers (restarting), then takes the batch
    ActorRef<PaperBroker.Command> slow = kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(PaperBroker.Command.class)
        .onMessage(PaperBroker.Bars.class, b -> {
          if (offers.incrementAndGet() > 3) b.ackTo().tell(new PaperBroker.BarsApplied(b.seq()));
          return akka.actor.typed.javadsl.Behaviors.same();
        }).build());
    try (CapturedLogs logs = new CapturedLogs()) {
      var delivery = PaperBroker.delivery(kit.system(), slow, Duration.ofMillis(200));
      delivery.apply(batch(0, 100)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      org.junit.Assert.assertEquals(4, offers.get());
      List<String> m = logs.messages();
      org.junit.Assert.assertEquals(m.toString(), 1, m.stream().filter(x -> x.startsWith("paper-broker: did not take bars of BTCUSDT"
          + " within 200 ms (TimeoutException); the market feed waits for it and offers them again until it does")).count());
      org.junit.Assert.assertEquals(m.toString(), 1, m.stream().filter(x -> x.startsWith("paper-broker: takes bars again after")).count());
    }
  }

  /**
   * While the broker takes nothing, one batch probes it; the others are offered again once it takes
   * bars again, not every few seconds each (each offer waits in the restarting broker, and a minute
   * of outage piled up hundreds).
   */
  @Test
  public void oneBatchProbesWhileTheOthersWait() throws Exception {
    java.util.concurrent.atomic.AtomicInteger offers = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
    ActorRef<PaperBroker.Command> broker = kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(PaperBroker.Command.class)
        .onMessage(PaperBroker.Bars.class, b -> {
          offers.incrementAndGet();
          if (up.get()) b.ackTo().tell(new PaperBroker.BarsApplied(b.seq()));
          return akka.actor.typed.javadsl.Behaviors.same();
        }).build());
    var delivery = PaperBroker.delivery(kit.system(), broker, Duration.ofMillis(200));
    List<java.util.concurrent.CompletableFuture<akka.Done>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) all.add(delivery.apply(batch(i * HOUR, 100)).toCompletableFuture());
    Thread.sleep(2_500); // about 3 rounds of timeout and pause: 20 batches offered each round would be 60 offers
    up.set(true);
    java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    // 20 first offers, a few by the probe, then 19 once the broker takes bars again
    assertTrue("offers: " + offers.get(), offers.get() <= 20 + 6 + 19);
  }

  /** With the real broker: the bar whose write failed is applied once it has restarted, and only once. */
  @Test
  public void theBarWhoseWriteFailedIsAppliedAfterTheRestart() throws Exception {
    ActorRef<PaperBroker.Command> broker = kit.spawn(PaperBroker.create(
        new PaperBroker.Settings(100_000, 0.001, 0.0005, Duration.ofHours(1), Duration.ofMinutes(10)), "broker-reoffer"));
    var delivery = PaperBroker.delivery(kit.system(), broker, Duration.ofMillis(500));
    delivery.apply(batch(0, 100)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS); // funds the book
    TestProbe<PaperBroker.OrderReply> placed = kit.createTestProbe();
    broker.tell(new PaperBroker.PlaceOrder(new Order("o1", "s1", "BTCUSDT", com.quantumtrader.strategy.Side.LONG, Order.Intent.OPEN, 1,
        Double.NaN, Double.NaN, 0, 0.9, 1, "test"), placed.getRef()));
    placed.receiveMessage(Duration.ofSeconds(10));
    journal.failNextPersisted();
    // the entry's fill on this bar fails to persist: the broker restarts, and the batch is offered again
    delivery.apply(batch(2 * HOUR, 120)).toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    TestProbe<PaperBroker.PortfolioView> view = kit.createTestProbe();
    broker.tell(new PaperBroker.GetPortfolio(view.getRef()));
    PaperBroker.PortfolioView v = view.receiveMessage(Duration.ofSeconds(10));
    org.junit.Assert.assertEquals("filled once, on the bar whose first write failed: " + v, 1, v.fills());
    org.junit.Assert.assertEquals(1, v.positions().size());
    org.junit.Assert.assertEquals(120 * 1.0005, v.positions().get(0).position().entryPrice(), 1e-9);
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

  /**
   * The stale-entry rule holds across the broker's restart on a journal failure: an entry held in its
   * stash while it restarted, decided on a bar older than the book's latest, is refused.
   */
  @Test
  public void anEntryDecidedBeforeTheBooksLatestBarIsRefusedAfterARestartOnAJournalFailure() {
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(
        new PaperBroker.Settings(100_000, 0.001, 0.0005, Duration.ofHours(1), Duration.ofMinutes(10)), "broker-stale-restart"));
    TestProbe<PaperBroker.BarsApplied> ack = kit.createTestProbe();
    for (int i = 0; i < 3; i++) {
      bar(b, i * HOUR, i + 1, ack.getRef());
      ack.receiveMessage(Duration.ofSeconds(10));
    }
    journal.failNextPersisted(); // the next bar's mark fails to be written: the broker restarts
    bar(b, 3 * HOUR, 4, ack.getRef());
    ack.expectNoMessage(Duration.ofMillis(500));
    TestProbe<PaperBroker.OrderReply> r = kit.createTestProbe();
    b.tell(new PaperBroker.PlaceOrder(new Order("late", "s1", "BTCUSDT", com.quantumtrader.strategy.Side.LONG, Order.Intent.OPEN, 10, 45, Double.NaN, 0, 0.9, 1,
        "decided on bar 0"), r.getRef()));
    PaperBroker.OrderReply reply = r.receiveMessage(Duration.ofSeconds(10));
    assertTrue(reply.toString(), reply instanceof PaperBroker.OrderRefused f && f.stale());
    // the bar whose write failed is taken again, and an entry decided on it is accepted
    bar(b, 3 * HOUR, 5, ack.getRef());
    ack.receiveMessage(Duration.ofSeconds(10));
    b.tell(new PaperBroker.PlaceOrder(new Order("fresh", "s1", "BTCUSDT", com.quantumtrader.strategy.Side.LONG, Order.Intent.OPEN, 10, 45, Double.NaN, 3 * HOUR, 0.9,
        1, "decided on bar 3"), r.getRef()));
    assertTrue(r.receiveMessage(Duration.ofSeconds(10)) instanceof PaperBroker.OrderAccepted);
  }
}
