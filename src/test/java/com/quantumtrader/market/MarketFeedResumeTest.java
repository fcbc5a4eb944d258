package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Node;
import com.quantumtrader.testsupport.CapturedLogs;
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
    Config config = node("max");
    MarketFeed.Status first = runToEnd(config);
    assertEquals("COMPLETED", first.state());
    assertTrue(first.barsDelivered() > 1000);
    MarketFeed.Status second = runToEnd(config);
    assertEquals("COMPLETED", second.state());
    assertEquals("every bar was delivered before the restart", 0, second.barsDelivered());
  }

  /**
   * A node stopped in the middle of a replay stops its feed first (the first phase of its shutdown)
   * and says where the next start resumes; the next start delivers exactly the bars after that point,
   * so nothing is skipped.
   */
  @Test
  public void aNodeStoppedMidReplaySaysWhereItResumesAndTheNextStartDeliversTheRest() throws Exception {
    Config config = node("1000000"); // an hourly bar every 3.6 ms: the 1,500 bars take about 5 s
    Path src = candles();
    String stopped;
    try (CapturedLogs logs = new CapturedLogs()) {
      ActorSystem<Guardian.Command> node = Node.start(config);
      try {
        assertEquals("the feed is stopped mid-replay", "RUNNING", awaitDelivered(node, components(node), 200).state());
      } finally {
        node.terminate();
        node.getWhenTerminated().toCompletableFuture().get();
      }
      stopped = logs.messages().stream().filter(m -> m.startsWith("market feed csv") && m.contains(" stopped: ")).findFirst()
          .orElse(null);
      assertTrue("no per-batch warning at shutdown", logs.events(e -> e.getFormattedMessage().contains("not delivered")
          && e.getLoggerName().endsWith("MarketFeed")).isEmpty());
    }
    assertTrue("the feed says where it resumes: " + stopped, stopped != null && stopped.contains("it resumes after "));
    java.time.Instant after = java.time.Instant.parse(stopped.replaceAll(".*it resumes after (\\S+) .*", "$1"));
    long remaining = Files.readAllLines(src).stream().skip(1)
        .filter(l -> java.time.LocalDateTime.parse(l.substring(0, 19).replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC).isAfter(after))
        .count();
    assertTrue(remaining > 0 && remaining < 1500);
    MarketFeed.Status second = runToEnd(config);
    assertEquals("COMPLETED", second.state());
    assertEquals("the next start delivers exactly the bars after the point it named", remaining, second.barsDelivered());
  }

  /**
   * A feed that fails mid-replay is restarted by its supervisor and goes on from its checkpoint to the
   * end: the stream of the instance before the restart, which ends then, does not mark the new one
   * finished.
   */
  @Test
  public void aFeedRestartedMidReplayGoesOnToTheEnd() throws Exception {
    ActorSystem<Guardian.Command> node = Node.start(node("1000000"));
    try {
      Guardian.Components c = components(node);
      MarketFeed.Status s = awaitDelivered(node, c, 800);
      assertEquals("the feed fails mid-replay", "RUNNING", s.state());
      c.marketFeed().tell(new MarketFeed.GetStatus(null)); // replying to nobody throws: the supervisor restarts the feed
      s = awaitEnd(node, c);
      assertEquals("COMPLETED", s.state());
      assertTrue("the restarted feed delivered the rest: " + s, s.barsDelivered() >= 1500 - 800);
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }

  /**
   * A save that lands behind the feed's back (a late save of its previous instance) moves the stored
   * revision; the feed reads it again and its checkpoint still reaches the last bar.
   */
  @Test
  public void aCheckpointWrittenBehindTheFeedsBackDoesNotStopItsSaves() throws Exception {
    Config config = node("1000000");
    ActorSystem<Guardian.Command> node = Node.start(config);
    try {
      Guardian.Components c = components(node);
      @SuppressWarnings("unchecked")
      akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store = akka.persistence.state.DurableStateStoreRegistry
          .get(node).getDurableStateStoreFor(akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.class,
              akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.Identifier());
      String pid = "market-feed|" + MarketFeed.describe(com.quantumtrader.market.MarketSettings.fromConfig(config));
      long revision;
      do {
        Thread.sleep(100);
        revision = store.getObject(pid).toCompletableFuture().get().revision();
      } while (revision == 0);
      store.upsertObject(pid, revision + 1, new MarketFeed.Checkpoint(0), "market-feed").toCompletableFuture().get();
      MarketFeed.Status s;
      s = awaitEnd(node, c);
      assertEquals("COMPLETED", s.state());
      long lastBar = java.time.LocalDateTime.parse("2022-03-04T11:00:00").toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
      Object saved = null;
      long deadline = System.nanoTime() + T.toNanos();
      do {
        Thread.sleep(200);
        saved = store.getObject(pid).toCompletableFuture().get().value().orElse(null);
      } while (!(saved instanceof MarketFeed.Checkpoint k && k.lastDelivered() == lastBar) && System.nanoTime() < deadline);
      assertEquals(new MarketFeed.Checkpoint(lastBar), saved);
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private static Guardian.Components components(ActorSystem<Guardian.Command> node) throws Exception {
    return AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T, node.scheduler())
        .toCompletableFuture().get();
  }

  /** The feed's status once it has delivered {@code bars} bars or is no longer RUNNING. */
  private static MarketFeed.Status awaitDelivered(ActorSystem<Guardian.Command> node, Guardian.Components c, long bars)
      throws Exception {
    MarketFeed.Status s;
    do {
      Thread.sleep(50);
      s = status(node, c);
    } while (s.barsDelivered() < bars && s.state().equals("RUNNING"));
    return s;
  }

  /** The feed's status once it is no longer RUNNING (or after {@link #T}). */
  private static MarketFeed.Status awaitEnd(ActorSystem<Guardian.Command> node, Guardian.Components c) throws Exception {
    long deadline = System.nanoTime() + T.toNanos();
    MarketFeed.Status s;
    do {
      Thread.sleep(100); // the feed runs on its own; there is no completion event to wait on
      s = status(node, c);
    } while (s.state().equals("RUNNING") && System.nanoTime() < deadline);
    return s;
  }

  private static MarketFeed.Status status(ActorSystem<Guardian.Command> node, Guardian.Components c) throws Exception {
    return AskPattern.<MarketFeed.Command, MarketFeed.Status>ask(c.marketFeed(), MarketFeed.GetStatus::new, T, node.scheduler())
        .toCompletableFuture().get();
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

  @Test
  public void theOldestBatchNotTakenSaysHowLongTheFeedHasWaited() {
    MarketFeed.DeliveredUpTo d = new MarketFeed.DeliveredUpTo(Long.MIN_VALUE);
    assertEquals(0, d.waitingMs(5_000));
    d.sent(100, 100, 1_000);
    d.sent(100, 100, 1_500); // a second batch of the same first bar time (another symbol)
    d.sent(200, 200, 2_000);
    assertEquals(41_000, d.waitingMs(42_000));
    d.acknowledged(100);
    assertEquals(41_000, d.waitingMs(42_000)); // one batch of 100 still out
    d.acknowledged(100);
    assertEquals(40_000, d.waitingMs(42_000)); // now 200 is the oldest
    d.acknowledged(200);
    assertEquals(0, d.waitingMs(42_000));
  }

  private static Path candles() throws Exception {
    return Path.of(MarketFeedResumeTest.class.getResource("/market/real/BTCUSDT-1h.csv").toURI());
  }

  /** A node on its own data folder replaying a copy of the committed hourly candles at {@code speed}. */
  private static Config node(String speed) throws Exception {
    Path market = Files.createTempDirectory("qt-resume-market-");
    Files.copy(candles(), market.resolve("BTCUSDT-1h.csv"));
    return TestNodes.forNode(Map.of(
        "QT_DATA_DIR", Files.createTempDirectory("qt-resume-").toString(),
        "QT_MARKET_FEED", "csv",
        "QT_MARKET_DATA", market.toString(),
        "QT_MARKET_SPEED", speed));
  }

  private static MarketFeed.Status runToEnd(Config config) throws Exception {
    ActorSystem<Guardian.Command> node = Node.start(config);
    try {
      return awaitEnd(node, components(node));
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }
}
