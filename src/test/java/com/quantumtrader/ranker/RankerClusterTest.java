package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.ShardRegion.ClusterShardingStats;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.JournalSchema;
import com.quantumtrader.app.Node;
import com.quantumtrader.app.Settings;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.BarBatcher;
import com.quantumtrader.market.SyntheticMarket;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.Test;

/**
 * Three nodes (separate actor systems, real remoting on loopback) sharing a PostgreSQL journal:
 * symbols spread over all three; one node leaves; its symbols move and continue from their
 * checkpoints with exactly the state they had (no warm-up gap); the aggregator still ranks every
 * symbol.
 */
public class RankerClusterTest {
  private static final Duration T = Duration.ofSeconds(30);
  private static final int SYMBOLS = 30;

  @Test
  public void symbolsSpreadOverThreeNodesAndContinueWarmWhenOneLeaves() throws Exception {
    String url = PostgresServer.get().newDatabase();
    int[] ports = {TestNodes.freePort(), TestNodes.freePort(), TestNodes.freePort()};
    String seeds = "127.0.0.1:" + ports[0];
    List<ActorSystem<Guardian.Command>> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Config config = TestNodes.forNode(Map.of(
            "QT_DB_URL", url, "QT_DB_USER", PostgresServer.get().user(),
            "QT_CLUSTER_PORT", String.valueOf(ports[i]), "QT_CLUSTER_SEED_NODES", seeds,
            "QT_MARKET_ENABLED", "false",
            "QT_OPP_RANKER_MIN_QUOTE_VOLUME", "0", "QT_OPP_RANKER_MIN_LIQUIDITY", "0", "QT_OPP_RANKER_MAX_VOLATILITY", "100",
            "QT_OPP_RANKER_MIN_BARS", "10"));
        if (i == 0) JournalSchema.ensure(Settings.load(config));
        nodes.add(Node.start(config));
      }
      ActorSystem<Guardian.Command> first = nodes.get(0);
      TestProbe<Object> probe = TestProbe.create(first);
      probe.awaitAssert(T, Duration.ofMillis(250), () -> {
        long up = StreamSupport.stream(Cluster.get(first).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertEquals(3, up);
        return null;
      });
      Guardian.Components c = AskPattern.<Guardian.Command, Guardian.Components>ask(first, Guardian.GetComponents::new, T, first.scheduler())
          .toCompletableFuture().get();
      RankerSettings settings = RankerSettings.fromConfig(first.settings().config());

      // Shards are allocated to the regions the coordinator knows: wait until it knows all three.
      probe.awaitAssert(T, Duration.ofMillis(250), () -> {
        TestProbe<ClusterShardingStats> stats = TestProbe.create(first);
        ClusterSharding.get(first).shardState().tell(new GetClusterShardingStats(RankerWorker.TYPE_KEY, Duration.ofSeconds(3), stats.getRef()));
        assertEquals(3, stats.receiveMessage(Duration.ofSeconds(5)).getRegions().size());
        return null;
      });

      SyntheticMarket market = new SyntheticMarket(5, SYMBOLS, "1h", 1_700_000_000_000L, Long.MAX_VALUE);
      Map<String, List<Bar>> sent = new HashMap<>();
      send(first, market, 60, sent);

      // Every node hosts some of the symbols.
      Map<Integer, Set<String>> placement = placement(nodes);
      for (int i = 0; i < 3; i++) assertTrue("node " + i + " hosts symbols: " + placement, !placement.get(i).isEmpty());
      Set<String> moved = placement.get(2);

      // The third node leaves the cluster; its shards hand off (the workers checkpoint on the way out).
      ActorSystem<Guardian.Command> leaving = nodes.get(2);
      Cluster.get(leaving).manager().tell(Leave.create(Cluster.get(leaving).selfMember().address()));
      leaving.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

      send(first, market, 20, sent);
      for (var e : sent.entrySet()) {
        RankerWorker.ScoreReply r = ClusterSharding.get(first).entityRefFor(RankerWorker.TYPE_KEY, e.getKey())
            .<RankerWorker.ScoreReply>ask(RankerWorker.GetScore::new, T).toCompletableFuture().get();
        String what = e.getKey() + (moved.contains(e.getKey()) ? " (moved)" : "");
        assertEquals(what + ": every bar counted once", 80, r.bars());
        assertEquals(what + ": same state as an uninterrupted run", reference(e.getValue(), settings), r.score());
      }
      Map<Integer, Set<String>> after = placement(nodes.subList(0, 2));
      assertEquals(SYMBOLS, after.get(0).size() + after.get(1).size());

      // The aggregator ranks every symbol.
      RankingAggregator.RankingView v = probe.awaitAssert(T, Duration.ofMillis(250), () -> {
        RankingAggregator.RankingView view = AskPattern.<RankingAggregator.Command, RankingAggregator.RankingView>ask(
            c.rankingAggregator(), RankingAggregator.PublishNow::new, T, first.scheduler()).toCompletableFuture().get();
        assertEquals(SYMBOLS, view.symbolsScored());
        assertTrue(view.top().stream().allMatch(s -> s.bars() == 80));
        return view;
      });
      assertEquals(settings.topN(), v.top().size());
    } finally {
      for (ActorSystem<?> n : nodes) n.terminate();
      for (ActorSystem<?> n : nodes) n.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static void send(ActorSystem<?> node, SyntheticMarket market, int steps, Map<String, List<Bar>> sent) throws Exception {
    List<Bar> chunk = new ArrayList<>();
    for (int i = 0; i < steps * SYMBOLS; i++) {
      Bar b = market.next();
      chunk.add(b);
      sent.computeIfAbsent(b.symbol(), k -> new ArrayList<>()).add(b);
    }
    List<CompletableFuture<Done>> acks = new ArrayList<>();
    var deliver = RankerWorker.delivery(node, T);
    for (BarBatcher.Batch b : BarBatcher.splitArrived(chunk.stream().map(x -> new BarBatcher.Arrived(x, 0)).toList())) acks.add(deliver.apply(b).toCompletableFuture());
    CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
  }

  private static Map<Integer, Set<String>> placement(List<ActorSystem<Guardian.Command>> nodes) {
    Map<Integer, Set<String>> out = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      TestProbe<ShardRegion.CurrentShardRegionState> p = TestProbe.create(nodes.get(i));
      ClusterSharding.get(nodes.get(i)).shardState().tell(new GetShardRegionState(RankerWorker.TYPE_KEY, p.getRef()));
      Set<String> ids = new HashSet<>();
      for (ShardRegion.ShardState s : p.receiveMessage(T).getShards()) ids.addAll(s.getEntityIds());
      out.put(i, ids);
    }
    return out;
  }

  private static SymbolScore reference(List<Bar> bars, RankerSettings settings) {
    Indicators ind = new Indicators();
    for (Bar b : bars) ind.update(b.openTime(), b.high(), b.low(), b.close(), b.quoteVolume());
    return Scoring.score(bars.get(0).symbol(), bars.get(0).interval(), ind, settings.criteria());
  }
}
