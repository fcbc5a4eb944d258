package com.quantumtrader.bus;

import static org.junit.Assert.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** Two nodes on loopback with real remoting: an event published on one reaches a subscriber on the other. */
public class EventBusClusterTest {

  @Test
  public void aSubscriberOnAnotherNodeGetsTheEvent() {
    int portA = TestNodes.freePort();
    Config a = TestNodes.fromEnv(Map.of("QT_CLUSTER_PORT", String.valueOf(portA)));
    Config b = TestNodes.fromEnv(Map.of());
    ActorTestKit nodeA = ActorTestKit.create("QuantumTrader", a);
    ActorTestKit nodeB = ActorTestKit.create("QuantumTrader", b);
    try {
      Cluster ca = Cluster.get(nodeA.system()), cb = Cluster.get(nodeB.system());
      ca.manager().tell(Join.create(ca.selfMember().address()));
      cb.manager().tell(Join.create(ca.selfMember().address()));
      TestProbe<Object> wait = nodeA.createTestProbe();
      wait.awaitAssert(Duration.ofSeconds(20), () -> {
        long up = java.util.stream.StreamSupport.stream(ca.state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up())
            .count();
        assertEquals(2, up);
        return null;
      });

      TestProbe<EventEnvelope> received = nodeB.createTestProbe();
      EventBus.get(nodeB.system()).subscribe("remote", Set.of(EventType.STRATEGY_PROMOTED),
          nodeB.spawn(Behaviors.<Delivery>receiveMessage(d -> { received.getRef().tell(d.event()); d.ack(); return Behaviors.same(); })));
      EventBus busA = EventBus.get(nodeA.system());
      // The topic on A learns of B's subscriber through the receptionist: publish until it arrives.
      EventEnvelope e = EventEnvelope.of("sg", new StrategyPromoted("s1", "breakout", "SHADOW", "LIVE", "UP", List.of("ok")));
      wait.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(500), () -> {
        busA.publish(e);
        assertEquals(e, received.receiveMessage(Duration.ofMillis(400)));
        return null;
      });
    } finally {
      nodeB.shutdownTestKit();
      nodeA.shutdownTestKit();
    }
  }
}
