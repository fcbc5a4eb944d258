package com.quantumtrader.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.TestKitJunitResource;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.quantumtrader.testsupport.TestNodes;
import org.junit.ClassRule;
import org.junit.Test;

public class JournalProbeTest {

  @ClassRule
  public static final TestKitJunitResource testKit =
      new TestKitJunitResource(EventSourcedBehaviorTestKit.config().withFallback(TestNodes.local()));

  @Test
  public void eachProbeWritesOneEventAndAnswersWithItsLatency() {
    // The test kit also round-trips every command, event, reply and state through serialization.
    EventSourcedBehaviorTestKit<JournalProbe.Command, JournalProbe.Written, JournalProbe.State> probe =
        EventSourcedBehaviorTestKit.create(testKit.system(), JournalProbe.create("127.0.0.1:25520"));
    for (int i = 1; i <= 3; i++) {
      var result = probe.<JournalProbe.Result>runCommand(JournalProbe.Probe::new);
      assertEquals(1, result.events().size());
      assertTrue(result.reply().latencyMs() >= 0);
      assertEquals(i, result.state().writes());
    }
    assertEquals("health-probe|127.0.0.1:25520", JournalProbe.persistenceId("127.0.0.1:25520").id());
  }
}
