package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Node;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

/**
 * A node's feed resumes after the last bar it delivered: a restart does not hand history to the
 * broker and the orchestrator a second time as if it were new.
 */
public class MarketFeedResumeTest {
  private static final Duration T = Duration.ofSeconds(30);

  @Test
  public void aRestartedNodeDoesNotDeliverTheBarsItDeliveredBefore() throws Exception {
    Path market = Files.createTempDirectory("qt-resume-market-");
    Path src = Path.of(getClass().getResource("/market/real/BTCUSDT-1h.csv").toURI());
    Files.copy(src, market.resolve("BTCUSDT-1h.csv"));
    Config config = TestNodes.forNode(Map.of(
        "QT_DATA_DIR", Files.createTempDirectory("qt-resume-").toString(),
        "QT_MARKET_FEED", "csv",
        "QT_MARKET_DATA", market.toString(),
        "QT_MARKET_SPEED", "max"));
    MarketFeed.Status first = runToEnd(config);
    assertEquals("COMPLETED", first.state());
    assertTrue(first.barsDelivered() > 1000);
    MarketFeed.Status second = runToEnd(config);
    assertEquals("COMPLETED", second.state());
    assertEquals("every bar was delivered before the restart", 0, second.barsDelivered());
  }

  @Test
  public void deliveredUpToWaitsForTheOldestOutstandingBatch() {
    MarketFeed.DeliveredUpTo d = new MarketFeed.DeliveredUpTo(Long.MIN_VALUE);
    d.sent(100, 100);
    d.sent(200, 300);
    d.sent(400, 400);
    d.acknowledged(200);
    d.acknowledged(400);
    assertEquals(99, d.upTo()); // 100 is still out
    d.acknowledged(100);
    assertEquals(400, d.upTo());
  }

  private static MarketFeed.Status runToEnd(Config config) throws Exception {
    ActorSystem<Guardian.Command> node = Node.start(config);
    try {
      Guardian.Components c = AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T,
          node.scheduler()).toCompletableFuture().get();
      long deadline = System.nanoTime() + T.toNanos();
      MarketFeed.Status s;
      do {
        Thread.sleep(100); // the feed runs on its own; there is no completion event to wait on
        s = AskPattern.<MarketFeed.Command, MarketFeed.Status>ask(c.marketFeed(), MarketFeed.GetStatus::new, T, node.scheduler())
            .toCompletableFuture().get();
      } while (s.state().equals("RUNNING") && System.nanoTime() < deadline);
      return s;
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }
}
