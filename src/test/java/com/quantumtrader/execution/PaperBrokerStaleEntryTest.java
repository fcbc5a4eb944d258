package com.quantumtrader.execution;

import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The stale-entry rule holds across the broker's restart on a journal failure: an entry held in its
 * stash while it restarted, decided on a bar older than the book's latest, is refused. (The bars it
 * notes as seen are forgotten on recovery; the bars it has certainly applied are not.)
 */
public class PaperBrokerStaleEntryTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final long H = 3_600_000L;
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

  private void bar(ActorRef<PaperBroker.Command> b, long t, long seq, boolean acked) {
    TestProbe<PaperBroker.BarsApplied> ack = kit.createTestProbe();
    b.tell(new PaperBroker.Bars("EEE", "1h", new long[] {t}, new double[] {50}, new double[] {51}, new double[] {49},
        new double[] {50}, seq, ack.getRef()));
    if (acked) ack.receiveMessage(T);
    else ack.expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  public void anEntryDecidedBeforeTheBooksLatestBarIsRefusedAfterARestartOnAJournalFailure() {
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(
        new PaperBroker.Settings(100_000, 0.001, 0.0005, Duration.ofHours(1), Duration.ofMinutes(10)), "broker-stale-restart"));
    bar(b, 0, 1, true);
    bar(b, H, 2, true);
    bar(b, 2 * H, 3, true);
    journal.failNextPersisted(); // the next bar's mark fails to be written: the broker restarts
    bar(b, 3 * H, 4, false);
    TestProbe<PaperBroker.OrderReply> r = kit.createTestProbe();
    b.tell(new PaperBroker.PlaceOrder(new Order("late", "s1", "EEE", Side.LONG, Order.Intent.OPEN, 10, 45, Double.NaN, 0, 0.9, 1,
        "decided on bar 0"), r.getRef()));
    PaperBroker.OrderReply reply = r.receiveMessage(T);
    assertTrue(reply.toString(), reply instanceof PaperBroker.OrderRefused f && f.stale());
    // the bar whose write failed is taken again, and an entry decided on it is accepted
    bar(b, 3 * H, 5, true);
    b.tell(new PaperBroker.PlaceOrder(new Order("fresh", "s1", "EEE", Side.LONG, Order.Intent.OPEN, 10, 45, Double.NaN, 3 * H, 0.9,
        1, "decided on bar 3"), r.getRef()));
    assertTrue(r.receiveMessage(T) instanceof PaperBroker.OrderAccepted);
  }
}
