package com.quantumtrader.bus;

import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.testsupport.CapturedLogs;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Instant;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * An event published while nothing in the cluster subscribes to its type (a trade with no {@code
 * events --follow} running) is dropped by its topic, as it should be; it is not logged as a dead
 * letter, which would read as a fault and use up the dead-letter log's budget (ten lines, then five
 * minutes of silence) that a real undelivered message needs.
 */
public class EventBusDeadLetterTest {
  private CapturedLogs logs;
  private ActorTestKit kit;

  @Before
  public void start() {
    logs = new CapturedLogs();
    kit = ActorTestKit.create("QuantumTrader", TestNodes.local());
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
    logs.close();
  }

  private List<String> lines() {
    return logs.messages();
  }

  @Test
  public void anEventNobodySubscribesToIsNotLoggedAsADeadLetterWhileOtherDeadLettersAre() {
    EventBus bus = EventBus.get(kit.system());
    for (int i = 0; i < 3; i++) {
      bus.publish("test", new TradeExecuted("t" + i, "o" + i, "s", "BTCUSDT", "BUY", 1, 100, 0.1, Instant.EPOCH));
    }
    // a control: a message to a stopped actor is still logged, after the events (one listener, in order)
    ActorRef<String> gone = kit.spawn(Behaviors.stopped());
    kit.createTestProbe().expectTerminated(gone);
    gone.tell("control");
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(10), () -> {
      assertTrue(lines().toString(), lines().stream().anyMatch(l -> l.contains("[java.lang.String]") && l.contains("not delivered")));
      return null;
    });
    assertTrue(lines().toString(), lines().stream().noneMatch(l -> l.contains("EventEnvelope")));
  }

  /**
   * The late answers of a component that restarted while the database was away (to asks that had
   * timed out) are expected and not logged: during an outage they used up the ten dead letters Akka
   * logs before five minutes of silence (62 journal probe results, 13 applied batches in one run).
   */
  @Test
  public void lateAnswersAfterARestartAreNotLoggedAsDeadLetters() {
    ActorRef<Object> gone = kit.spawn(Behaviors.stopped());
    kit.createTestProbe().expectTerminated(gone);
    gone.tell(new com.quantumtrader.health.JournalProbe.Result(3));
    gone.tell(new com.quantumtrader.execution.PaperBroker.BarsApplied(7));
    gone.tell(new com.quantumtrader.execution.PaperBroker.PortfolioView("paper", 1, 1, 1, 0, 0, 0, 0, 0, 0, List.of(), List.of()));
    gone.tell("control");
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(10), () -> {
      assertTrue(lines().toString(), lines().stream().anyMatch(l -> l.contains("[java.lang.String]") && l.contains("not delivered")));
      return null;
    });
    assertTrue(lines().toString(), lines().stream().noneMatch(l -> l.contains("JournalProbe$Result") || l.contains("BarsApplied")
        || l.contains("PortfolioView")));
  }
}
