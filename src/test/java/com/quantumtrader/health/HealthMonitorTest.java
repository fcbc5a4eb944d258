package com.quantumtrader.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventEnvelope;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.HealthStatusChanged;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The monitor on a node with the embedded H2 journal, a stand-in market feed and the real bus. */
public class HealthMonitorTest {

  private ActorTestKit kit;
  private HealthSettings settings;

  @Before
  public void start() throws Exception {
    Config config = TestNodes.h2(Files.createTempDirectory("qt-health-"), Map.of(
        "QT_HEALTH_CHECK_INTERVAL", "200ms",
        "QT_HEALTH_PROBE_TIMEOUT", "3s",
        // The first writes to a cold H2 file can be slow; this test is not about latency.
        "QT_HEALTH_JOURNAL_LATENCY_DEGRADED", "2s",
        "QT_HEALTH_FEED_STALE_AFTER", "1s"));
    kit = ActorTestKit.create("QuantumTrader", config);
    settings = HealthSettings.fromConfig(config);
  }

  @After
  public void stop() {
    if (kit != null) kit.shutdownTestKit();
  }

  /** A feed that answers whatever status the test sets. */
  private static Behavior<MarketFeed.Command> feed(AtomicReference<MarketFeed.Status> status) {
    return Behaviors.receive(MarketFeed.Command.class)
        .onMessage(MarketFeed.GetStatus.class, m -> {
          m.replyTo().tell(status.get());
          return Behaviors.same();
        })
        .build();
  }

  private static MarketFeed.Status status(String state, long delivered, String error) {
    return new MarketFeed.Status("test feed", state, delivered, 0, 0, Map.of(), error, 0, Map.of());
  }

  private static Behavior<Delivery> acking(ActorRef<EventEnvelope> out) {
    return Behaviors.receiveMessage(d -> {
      out.tell(d.event());
      d.ack();
      return Behaviors.same();
    });
  }

  private TestProbe<EventEnvelope> subscribe() {
    EventBus bus = EventBus.get(kit.system());
    TestProbe<EventEnvelope> events = kit.createTestProbe();
    bus.subscribe("health-test", Set.of(EventType.HEALTH_STATUS_CHANGED), kit.spawn(acking(events.getRef())));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      try {
        assertTrue(bus.localSubscriberCount(EventType.HEALTH_STATUS_CHANGED, Duration.ofSeconds(1)).toCompletableFuture().get() >= 1);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    return events;
  }

  private HealthMonitor.Health health(ActorRef<HealthMonitor.Command> monitor) {
    TestProbe<HealthMonitor.Health> reply = kit.createTestProbe();
    monitor.tell(new HealthMonitor.GetHealth(reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(3));
  }

  private HealthMonitor.Health awaitHealth(ActorRef<HealthMonitor.Command> monitor, HealthStatus expected, Duration max) {
    return kit.createTestProbe().awaitAssert(max, Duration.ofMillis(100), () -> {
      HealthMonitor.Health h = health(monitor);
      assertNotNull("no check completed yet", h.checkedAt());
      assertEquals(h.reasons().toString(), expected, h.status());
      return h;
    });
  }

  private static HealthStatusChanged changed(TestProbe<EventEnvelope> events) {
    EventEnvelope e = events.receiveMessage(Duration.ofSeconds(10));
    assertEquals("health.status_changed", e.type().key());
    assertEquals(HealthMonitor.SOURCE, e.source());
    return (HealthStatusChanged) e.payload();
  }

  @Test
  public void isHealthyAtStartAndPublishesEachChangeOnTheBus() {
    AtomicReference<MarketFeed.Status> feed = new AtomicReference<>(status("COMPLETED", 500, null));
    TestProbe<EventEnvelope> events = subscribe();
    ActorRef<HealthMonitor.Command> monitor = kit.spawn(HealthMonitor.create(settings, kit.spawn(feed(feed))), "health-monitor");

    HealthMonitor.Health h = awaitHealth(monitor, HealthStatus.HEALTHY, Duration.ofSeconds(10));
    assertEquals(List.of(), h.reasons());
    assertTrue("the probe wrote through the journal", h.observation().journal().lastSucceeded());
    assertEquals(HealthObservation.FeedState.COMPLETED, h.observation().feed().state());
    events.expectNoMessage(Duration.ofMillis(600)); // several healthy checks: nothing to announce

    feed.set(status("FAILED", 500, "candle file vanished"));
    HealthStatusChanged degraded = changed(events);
    assertEquals(HealthStatus.DEGRADED, degraded.status());
    assertEquals(HealthStatus.HEALTHY, degraded.previous());
    assertEquals(List.of("market feed failed: candle file vanished"), degraded.reasons());
    assertEquals(degraded, health(monitor).lastPublished());
    events.expectNoMessage(Duration.ofMillis(600)); // the same findings are not announced again

    feed.set(status("COMPLETED", 500, null));
    HealthStatusChanged recovered = changed(events);
    assertEquals(new HealthStatusChanged(HealthStatus.HEALTHY, HealthStatus.DEGRADED, List.of()), recovered);
  }

  @Test
  public void aStalledFeedDegradesAndAFailingPolicyStoreIsCritical() {
    AtomicReference<MarketFeed.Status> feed = new AtomicReference<>(status("RUNNING", 100, null));
    TestProbe<EventEnvelope> events = subscribe();
    ActorRef<HealthMonitor.Command> monitor = kit.spawn(HealthMonitor.create(settings, kit.spawn(feed(feed))), "health-monitor");

    // No bar delivered for longer than feed-stale-after (1 s).
    HealthStatusChanged stale = changed(events);
    assertEquals(HealthStatus.DEGRADED, stale.status());
    assertTrue(stale.reasons().toString(), stale.reasons().get(0).startsWith("market feed running but no bar delivered"));

    for (int i = 0; i <= ComponentRegistry.FAILING_RESTARTS; i++) ComponentRegistry.get(kit.system()).started("policy-store");
    HealthStatusChanged critical = changed(events);
    assertEquals(HealthStatus.CRITICAL, critical.status());
    assertEquals(HealthStatus.DEGRADED, critical.previous());
    assertEquals(2, critical.reasons().size());
    assertTrue(critical.reasons().get(0), critical.reasons().get(0).startsWith("component policy-store keeps failing"));
    HealthMonitor.Health h = awaitHealth(monitor, HealthStatus.CRITICAL, Duration.ofSeconds(3));
    assertEquals(critical.reasons(), h.reasons());
  }

  @Test
  public void runsWithoutAFeed() {
    ActorRef<HealthMonitor.Command> monitor = kit.spawn(HealthMonitor.create(settings, null), "health-monitor");
    HealthMonitor.Health h = awaitHealth(monitor, HealthStatus.HEALTHY, Duration.ofSeconds(10));
    assertTrue(!h.observation().feed().present());
    assertEquals(null, h.lastPublished());
  }
}
