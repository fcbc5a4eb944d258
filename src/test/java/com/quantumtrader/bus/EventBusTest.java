package com.quantumtrader.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.TestKitJunitResource;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.actor.typed.javadsl.Adapter;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.ClassRule;
import org.junit.Test;

public class EventBusTest {

  @ClassRule
  public static final TestKitJunitResource testKit =
      new TestKitJunitResource(
          ConfigFactory.parseString(
                  "quantum-trader.event-bus { max-queue-size = 10, delivery-window = 5, ack-timeout = 400ms }")
              .withFallback(TestNodes.local()));

  private final EventBus bus = EventBus.get(testKit.system());

  /** A well-behaved subscriber: forwards each event to a probe and acknowledges it. */
  private static Behavior<Delivery> acking(ActorRef<EventEnvelope> out) {
    return Behaviors.receiveMessage(d -> {
      out.tell(d.event());
      d.ack();
      return Behaviors.same();
    });
  }

  private static EventEnvelope trade(int i) {
    return EventEnvelope.of("test", new TradeExecuted("t" + i, "o" + i, "s", "BTCUSDT", "BUY", 1, 100 + i, 0.1, Instant.EPOCH));
  }

  private void awaitSubscribers(EventType type, int n) {
    TestProbe<Object> p = testKit.createTestProbe();
    p.awaitAssert(Duration.ofSeconds(5), () -> {
      try {
        assertTrue(bus.localSubscriberCount(type, Duration.ofSeconds(1)).toCompletableFuture().get() >= n);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  @Test
  public void deliversEachEventToEverySubscriberOfItsTypeOnly() {
    TestProbe<EventEnvelope> a = testKit.createTestProbe(), b = testKit.createTestProbe(), c = testKit.createTestProbe();
    int before = count(EventType.MODEL_PROMOTED);
    bus.subscribe("a", Set.of(EventType.MODEL_PROMOTED), testKit.spawn(acking(a.getRef())));
    bus.subscribe("b", Set.of(EventType.MODEL_PROMOTED, EventType.STRATEGY_PROMOTED), testKit.spawn(acking(b.getRef())));
    bus.subscribe("c", Set.of(EventType.STRATEGY_PROMOTED), testKit.spawn(acking(c.getRef())));
    awaitSubscribers(EventType.MODEL_PROMOTED, before + 2);
    awaitSubscribers(EventType.STRATEGY_PROMOTED, 2);

    EventEnvelope m = bus.publish("clm", new ModelPromoted("regime", "v2", "v1", Map.of("auc", 0.61), "better"));
    EventEnvelope s = bus.publish("sg", new StrategyPromoted("trend-7", "trend", "SHADOW", "LIVE", "UP", List.of("sharpe 1.4")));
    assertEquals(m, a.receiveMessage());
    a.expectNoMessage(Duration.ofMillis(100));
    assertEquals(Set.of(m, s), Set.of(b.receiveMessage(), b.receiveMessage()));
    assertEquals(s, c.receiveMessage());
    c.expectNoMessage(Duration.ofMillis(100));
  }

  private int count(EventType t) {
    try {
      return bus.localSubscriberCount(t, Duration.ofSeconds(1)).toCompletableFuture().get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void aSubscriberThatThrowsDoesNotStopDeliveryToTheOthers() {
    TestProbe<EventEnvelope> healthy = testKit.createTestProbe();
    Behavior<Delivery> crashing = Behaviors.receiveMessage(d -> {
      throw new IllegalStateException("subscriber bug (expected in this test)");
    });
    int before = count(EventType.HEALTH_STATUS_CHANGED);
    bus.subscribe("crashing", Set.of(EventType.HEALTH_STATUS_CHANGED), testKit.spawn(crashing));
    bus.subscribe("healthy", Set.of(EventType.HEALTH_STATUS_CHANGED), testKit.spawn(acking(healthy.getRef())));
    awaitSubscribers(EventType.HEALTH_STATUS_CHANGED, before + 2);
    // In chunks that fit the healthy subscriber's buffer (10), so that it must get every event.
    for (int chunk = 0; chunk < 5; chunk++) {
      for (int i = chunk * 10; i < chunk * 10 + 10; i++) {
        bus.publish("health", new HealthStatusChanged(HealthStatus.DEGRADED, HealthStatus.HEALTHY, List.of("n" + i)));
      }
      for (int i = chunk * 10; i < chunk * 10 + 10; i++) {
        HealthStatusChanged h = (HealthStatusChanged) healthy.receiveMessage().payload();
        assertEquals(List.of("n" + i), h.reasons());
      }
    }
  }

  @Test
  public void aSlowSubscriberKeepsOnlyTheNewestEventsAndCountsTheDropped() {
    // window 5, buffer 10: a subscriber that acknowledges nothing holds 5 in its mailbox and 10 buffered.
    TestProbe<Delivery> slow = testKit.createTestProbe();
    TestProbe<EventEnvelope> fast = testKit.createTestProbe();
    int before = count(EventType.TRADE_EXECUTED);
    bus.subscribe("slow", Set.of(EventType.TRADE_EXECUTED), slow.getRef());
    bus.subscribe("fast", Set.of(EventType.TRADE_EXECUTED), testKit.spawn(acking(fast.getRef())));
    awaitSubscribers(EventType.TRADE_EXECUTED, before + 2);
    // In chunks that fit a buffer, so that the fast subscriber (which acknowledges) gets every event.
    for (int chunk = 0; chunk < 10; chunk++) {
      for (int i = chunk * 10 + 1; i <= chunk * 10 + 10; i++) bus.publish(trade(i));
      for (int i = chunk * 10 + 1; i <= chunk * 10 + 10; i++) {
        assertEquals("t" + i, ((TradeExecuted) fast.receiveMessage().payload()).tradeId());
      }
    }
    List<Delivery> held = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Delivery d = slow.receiveMessage();
      held.add(d);
      assertEquals("t" + i, ((TradeExecuted) d.event().payload()).tradeId());
    }
    slow.expectNoMessage(Duration.ofMillis(100));
    SubscriptionStats stats = statsOf("slow");
    assertEquals(85, stats.dropped());
    assertEquals(10, stats.buffered());
    assertEquals(0, statsOf("fast").dropped());

    // Acknowledging what it holds releases the newest buffered events, in order: 91..100.
    held.forEach(Delivery::ack);
    for (int i = 91; i <= 100; i++) {
      Delivery d = slow.receiveMessage();
      assertEquals("t" + i, ((TradeExecuted) d.event().payload()).tradeId());
      d.ack();
    }
    slow.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  public void aSubscriberThatStopsAcknowledgingLosesItsWindowButNotTheRest() {
    TestProbe<Delivery> stuck = testKit.createTestProbe();
    int before = count(EventType.OPPORTUNITIES_UPDATED);
    bus.subscribe("stuck", Set.of(EventType.OPPORTUNITIES_UPDATED), stuck.getRef());
    awaitSubscribers(EventType.OPPORTUNITIES_UPDATED, before + 1);
    for (int i = 0; i < 8; i++) {
      bus.publish("ranker", new OpportunitiesUpdated(List.of(new OpportunitiesUpdated.Opportunity("S" + i, 1, 1, 0, 0, 0, 0))));
    }
    for (int i = 0; i < 5; i++) stuck.receiveMessage();
    // No ack: after ack-timeout (400 ms) the window counts as lost and the other 3 come.
    for (int i = 5; i < 8; i++) {
      Delivery d = stuck.receiveMessage(Duration.ofSeconds(3));
      assertEquals("S" + i, ((OpportunitiesUpdated) d.event().payload()).top().get(0).symbol());
    }
    assertEquals(5, statsOf("stuck").lost());
  }

  @Test
  public void aStoppedSubscriberIsRemovedFromTheBus() {
    ActorRef<Delivery> sub = testKit.spawn(acking(testKit.<EventEnvelope>createTestProbe().getRef()));
    bus.subscribe("short-lived", Set.of(EventType.TRADE_EXECUTED), sub);
    TestProbe<Object> p = testKit.createTestProbe();
    p.awaitAssert(() -> { assertTrue(bus.subscriptions().stream().anyMatch(s -> s.name().equals("short-lived"))); return null; });
    testKit.stop(sub);
    p.awaitAssert(() -> { assertTrue(bus.subscriptions().stream().noneMatch(s -> s.name().equals("short-lived"))); return null; });
  }

  @Test
  public void everyEventTypeRoundTripsThroughCbor() throws Exception {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    TreeSet<String> allowed = new TreeSet<>(List.of("a", "b"));
    List<EventPayload> payloads = List.of(
        new PolicyUpdated(7, new GlobalPolicy(RiskMode.DEFENSIVE, new Limits(0.8, 0.005, 3, 0.3), allowed, new TreeSet<>(Set.of("c"))), "MSC_AI", "crash", "risk mode NORMAL -> DEFENSIVE"),
        new OpportunitiesUpdated(List.of(new OpportunitiesUpdated.Opportunity("ETHUSDT", 1, 0.9, 0.5, 0.2, 0.8, 0.1))),
        new HealthStatusChanged(HealthStatus.CRITICAL, HealthStatus.HEALTHY, List.of("journal down")),
        new TradeExecuted("t1", "o1", "trend-1", "BTCUSDT", "SELL", 0.5, 42000.5, 4.2, Instant.parse("2026-01-01T00:00:00Z")),
        new StrategyPromoted("trend-1", "trend", "LIVE", "DEMOTED", "DOWN", List.of("drawdown 12%")),
        new ModelPromoted("regime", "v3", "v2", Map.of("auc", 0.7), "auc +0.02"));
    assertEquals("one sample per event type", EventType.values().length, payloads.stream().map(EventPayload::type).distinct().count());
    for (EventPayload p : payloads) {
      EventEnvelope e = EventEnvelope.of("test", p);
      var serializer = (akka.serialization.SerializerWithStringManifest) ser.findSerializerFor(e);
      assertEquals("bound to jackson-cbor", "JacksonCborSerializer", serializer.getClass().getSimpleName());
      byte[] bytes = serializer.toBinary(e);
      Object back = ser.deserialize(bytes, serializer.identifier(), serializer.manifest(e)).get();
      assertEquals(e, back);
      assertEquals(p.type(), ((EventEnvelope) back).type());
    }
  }

  private SubscriptionStats statsOf(String name) {
    return bus.subscriptions().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
