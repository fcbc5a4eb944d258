package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.CoordinatedShutdown;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Node;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.OpportunitiesUpdated;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.market.RejectCounts;
import com.quantumtrader.market.RejectReason;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.testsupport.CapturedLogs;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * A whole node replaying real candle files (with bad rows) through the sharded rankers: every good
 * bar is scored exactly as the indicators compute it, the bad rows are counted, the ranking honours
 * the policy's blocklist, and after a full restart the workers resume from their checkpoints.
 */
public class RankerNodeTest {
  private static final Duration T = Duration.ofSeconds(20);

  private static Config nodeConfig(Path dataDir, Path marketData) {
    return TestNodes.forNode(Map.of(
        "QT_DATA_DIR", dataDir.toString(),
        "QT_MARKET_FEED", "csv",
        "QT_MARKET_DATA", marketData.toString(),
        "QT_MARKET_SPEED", "max",
        "QT_OPP_RANKER_MIN_QUOTE_VOLUME", "0",
        "QT_OPP_RANKER_MIN_LIQUIDITY", "0",
        "QT_OPP_RANKER_MAX_VOLATILITY", "100"));
  }

  private static Guardian.Components components(ActorSystem<Guardian.Command> s) throws Exception {
    return AskPattern.<Guardian.Command, Guardian.Components>ask(s, Guardian.GetComponents::new, T, s.scheduler())
        .toCompletableFuture().get();
  }

  private static RankerWorker.ScoreReply score(ActorSystem<?> s, String symbol) throws Exception {
    return ClusterSharding.get(s).entityRefFor(RankerWorker.TYPE_KEY, symbol)
        .<RankerWorker.ScoreReply>ask(RankerWorker.GetScore::new, T).toCompletableFuture().get();
  }

  private static Map<String, List<Bar>> expectedBars(Path dir) {
    Map<String, List<Bar>> out = new java.util.HashMap<>();
    try (CsvFolderFeed f = new CsvFolderFeed(dir, new RejectCounts())) {
      for (Bar b; (b = f.next()) != null; ) out.computeIfAbsent(b.symbol(), k -> new ArrayList<>()).add(b);
    }
    return out;
  }

  private static SymbolScore reference(List<Bar> bars, RankerSettings settings) {
    Indicators ind = new Indicators();
    for (Bar b : bars) ind.update(b.openTime(), b.high(), b.low(), b.close(), b.quoteVolume());
    return Scoring.score(bars.get(0).symbol(), bars.get(0).interval(), ind, settings.criteria());
  }

  @Test
  public void replaysRealCandlesThroughTheShardedRankersAndResumesWarmAfterARestart() throws Exception {
    Path market = Files.createTempDirectory("qt-market-");
    for (String f : List.of("real/BTCUSDT-1h.csv", "real/ETHUSDT-5m.csv", "real/ADAUSDT-1h.csv", "equities/DHR-1d.csv", "bad/XYZUSDT-1h.csv")) {
      Path src = Path.of(getClass().getResource("/market/" + f).toURI());
      Files.copy(src, market.resolve(src.getFileName()));
    }
    Map<String, List<Bar>> expected = expectedBars(market);
    Path data = Files.createTempDirectory("qt-node-");
    Config config = nodeConfig(data, market);
    RankerSettings settings = RankerSettings.fromConfig(config);

    CapturedLogs logs = new CapturedLogs();
    ActorSystem<Guardian.Command> node = Node.start(config);
    try {
      Guardian.Components c = components(node);
      TestProbe<Delivery> events = TestProbe.create(node);
      EventBus.get(node).subscribe("test", Set.of(EventType.OPPORTUNITIES_UPDATED), events.getRef());

      // Block a symbol before the ranking is published.
      PolicyStore.Reply blocked = AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(c.policyStore(),
          rt -> new PolicyStore.BlockSymbol("ADAUSDT", Change.by("ops", "test"), rt), T, node.scheduler()).toCompletableFuture().get();
      assertTrue(blocked instanceof PolicyStore.Accepted);

      // The feed completes: every good bar delivered, every bad row counted.
      long goodBars = expected.values().stream().mapToLong(List::size).sum();
      MarketFeed.Status status = events.awaitAssert(T, Duration.ofMillis(200), () -> {
        MarketFeed.Status s = get(AskPattern.ask(c.marketFeed(), MarketFeed.GetStatus::new, T, node.scheduler()));
        assertEquals(s.toString(), "COMPLETED", s.state());
        return s;
      });
      assertEquals(goodBars, status.barsDelivered());
      assertEquals(0, status.barsUndelivered());
      assertEquals(13 + 3, status.rejected());
      assertEquals(Long.valueOf(2), status.rejectedBySymbol().get("DHR").get(RejectReason.UNPARSABLE));

      // Each worker holds exactly what the indicators compute from the good bars.
      for (var e : expected.entrySet()) {
        RankerWorker.ScoreReply r = score(node, e.getKey());
        assertEquals(e.getKey(), e.getValue().size(), r.bars());
        assertEquals(e.getKey(), reference(e.getValue(), settings), r.score());
      }

      // The ranking: XYZUSDT (4 bars) is warming up, ADAUSDT is blocked, the rest are ranked.
      RankingAggregator.RankingView view = events.awaitAssert(T, Duration.ofMillis(200), () -> {
        RankingAggregator.RankingView v = get(AskPattern.ask(c.rankingAggregator(), RankingAggregator.PublishNow::new, T, node.scheduler()));
        assertEquals(5, v.symbolsScored());
        return v;
      });
      assertEquals(Set.of("BTCUSDT", "ETHUSDT", "DHR"), Set.copyOf(view.top().stream().map(SymbolScore::symbol).toList()));
      // the log names the symbols that entered the top N, under the aggregator's own name
      events.awaitAssert(T, Duration.ofMillis(200), () -> {
        assertTrue(logs.messages().toString(), logs.events(e -> e.getLoggerName().equals(RankingAggregator.class.getName())
            && e.getFormattedMessage().startsWith("top opportunities changed, in ")
            && e.getFormattedMessage().contains("BTCUSDT")).size() >= 1);
        return null;
      });
      RankingAggregator.SymbolScoreReply ada = get(AskPattern.ask(c.rankingAggregator(),
          rt -> new RankingAggregator.GetSymbolScore("ADAUSDT", rt), T, node.scheduler()));
      assertEquals("blocked by policy", ada.excludedBecause());
      RankingAggregator.SymbolScoreReply xyz = get(AskPattern.ask(c.rankingAggregator(),
          rt -> new RankingAggregator.GetSymbolScore("XYZUSDT", rt), T, node.scheduler()));
      assertTrue(xyz.excludedBecause(), xyz.excludedBecause().startsWith("warming up"));
      RankingAggregator.SymbolScoreReply none = get(AskPattern.ask(c.rankingAggregator(),
          rt -> new RankingAggregator.GetSymbolScore("NOPE", rt), T, node.scheduler()));
      assertNull(none.score());

      OpportunitiesUpdated published = events.awaitAssert(T, Duration.ofMillis(100), () -> {
        Delivery d = events.receiveMessage(Duration.ofSeconds(6));
        d.ack();
        OpportunitiesUpdated o = (OpportunitiesUpdated) d.event().payload();
        assertEquals(3, o.top().size());
        return o;
      });
      assertEquals(view.top().get(0).symbol(), published.top().get(0).symbol());
    } finally {
      logs.close();
      CoordinatedShutdown.get(node.classicSystem()).runAll(CoordinatedShutdown.jvmExitReason()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      // and its termination callbacks, among them the journal pool's close: the node after it opened the same
      // embedded H2 database while this close was shutting it ("The database has been closed"; its pool never
      // recovered, and an ask timed out)
      node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    // A new node on the same database, without a feed: the workers come back warm from their checkpoints.
    Config again = ConfigFactory.parseString("quantum-trader.market.enabled = false").withFallback(nodeConfig(data, market));
    ActorSystem<Guardian.Command> restarted = Node.start(again);
    try {
      components(restarted); // answered once the guardian has started everything
      for (var e : expected.entrySet()) {
        RankerWorker.ScoreReply r = score(restarted, e.getKey());
        assertEquals(e.getKey() + " resumed", e.getValue().size(), r.bars());
        assertEquals(e.getKey() + " resumed", reference(e.getValue(), settings), r.score());
      }
    } finally {
      restarted.terminate();
      restarted.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> f) {
    try {
      return f.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
