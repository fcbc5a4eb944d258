package com.quantumtrader.app;

import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.TestKitJunitResource;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.health.ComponentRegistry;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;

public class SupervisionTest {
  @ClassRule public static final TestKitJunitResource testKit = new TestKitJunitResource(TestNodes.local());

  @Test
  public void aFailingComponentIsRestartedAndItsRestartsAreRecorded() {
    TestProbe<String> probe = testKit.createTestProbe();
    Behavior<String> flaky = Behaviors.receiveMessage(m -> {
      if (m.equals("boom")) throw new IllegalStateException("component bug (expected in this test)");
      probe.getRef().tell("handled " + m);
      return Behaviors.same();
    });
    // a name of HealthSettings.COMPONENTS: the supervision refuses others (QT_HEALTH_CRITICAL_COMPONENTS is checked against them)
    ActorRef<String> ref = testKit.spawn(Supervision.component("orchestrator", flaky));
    ref.tell("a");
    probe.expectMessage("handled a");
    ref.tell("boom");
    // Restarted after the minimum backoff, not stopped: it handles messages again.
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      ref.tell("b");
      probe.expectMessage(Duration.ofMillis(300), "handled b");
      return null;
    });
    ComponentRegistry.Status s = ComponentRegistry.get(testKit.system()).snapshot().stream()
        .filter(c -> c.name().equals("orchestrator")).findFirst().orElseThrow();
    assertTrue(s.toString(), s.restarts() >= 1);
  }
}
