package com.quantumtrader.api;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.ShardRegion;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.common.Futures;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.ranker.RankerWorker;
import com.quantumtrader.ranker.RankingAggregator;
import com.quantumtrader.ranker.SymbolScore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The node's figures in the Prometheus text format (version 0.0.4). A component that is disabled or
 * does not answer in time leaves its lines out rather than failing the scrape.
 */
final class Metrics {
  private final Backends b;

  Metrics(Backends b) {
    this.b = b;
  }

  CompletionStage<String> render() {
    var ec = b.system().executionContext();
    CompletionStage<Optional<MarketFeed.Status>> feed = opt(b.feed(), MarketFeed.GetStatus::new);
    CompletionStage<Optional<RankingAggregator.AllScores>> scores = opt(b.rankings(), RankingAggregator.GetAllScores::new);
    CompletionStage<Optional<PaperBroker.PortfolioView>> book = opt(b.broker(), PaperBroker.GetPortfolio::new);
    CompletionStage<Optional<PolicyStore.PolicyView>> policy = opt(b.policyStore(), PolicyStore.Get::new);
    CompletionStage<Optional<HealthMonitor.Health>> health = opt(b.health(), HealthMonitor.GetHealth::new);
    CompletionStage<Optional<ShardRegion.CurrentShardRegionState>> shards = opt(ClusterSharding.get(b.system()).shardState(),
        (ActorRef<ShardRegion.CurrentShardRegionState> rt) -> new GetShardRegionState(RankerWorker.TYPE_KEY, rt));
    CompletableFuture<?> all = CompletableFuture.allOf(feed.toCompletableFuture(), scores.toCompletableFuture(),
        book.toCompletableFuture(), policy.toCompletableFuture(), health.toCompletableFuture(), shards.toCompletableFuture());
    return Futures.on(all, ec).thenApply(x -> {
      StringBuilder sb = new StringBuilder();
      EventBus bus = EventBus.get(b.system());
      Map<EventType, Long> published = bus.publishedCounts();
      header(sb, "qt_events_published_total", "counter", "Events published on the bus from this node, per type.");
      for (EventType t : EventType.values()) {
        sb.append("qt_events_published_total{type=\"").append(t.key()).append("\"} ").append(published.getOrDefault(t, 0L)).append('\n');
      }
      join(feed).ifPresent(f -> {
        header(sb, "qt_bars_delivered_total", "counter", "Bars the market feed delivered to the rankers (and the broker).");
        line(sb, "qt_bars_delivered_total", f.barsDelivered());
        header(sb, "qt_bars_undelivered_total", "counter", "Bars whose delivery failed (timed out).");
        line(sb, "qt_bars_undelivered_total", f.barsUndelivered());
        header(sb, "qt_bars_rejected_total", "counter", "Rows the feed rejected as bad input.");
        line(sb, "qt_bars_rejected_total", f.rejected());
        header(sb, "qt_feed_running", "gauge", "1 while the market feed runs, 0 when it completed or failed.");
        line(sb, "qt_feed_running", "RUNNING".equals(f.state()) ? 1 : 0);
        header(sb, "qt_feed_waiting_seconds", "gauge",
            "How long the oldest batch the feed sent has waited for the rankers or the broker to take it (0 under a second).");
        line(sb, "qt_feed_waiting_seconds", f.waitingSeconds());
        header(sb, "qt_feed_possible_bad_ticks_total", "counter",
            "Bars that moved 3x or more from the close before and came back on the next, delivered as they came.");
        line(sb, "qt_feed_possible_bad_ticks_total", f.possibleBadTicksTotal());
        join(scores).ifPresent(s -> {
          long reflected = 0;
          for (SymbolScore sc : s.scores()) reflected += sc.bars();
          header(sb, "qt_ranker_lag_bars", "gauge", "Bars delivered by the feed that the ranking does not reflect yet.");
          line(sb, "qt_ranker_lag_bars", Math.max(0, f.barsDelivered() - reflected));
        });
      });
      join(scores).ifPresent(s -> {
        header(sb, "qt_symbols_scored", "gauge", "Symbols with a score.");
        line(sb, "qt_symbols_scored", s.scores().size());
      });
      join(shards).ifPresent(s -> {
        String node = akka.cluster.typed.Cluster.get(b.system()).selfMember().address().hostPort();
        header(sb, "qt_shards", "gauge", "Shards of the symbol rankers hosted on this node.");
        sb.append("qt_shards{node=\"").append(node).append("\",region=\"symbol-ranker\"} ").append(s.getShards().size()).append('\n');
        long entities = 0;
        for (ShardRegion.ShardState st : s.getShards()) entities += st.getEntityIds().size();
        header(sb, "qt_shard_entities", "gauge", "Symbol rankers (entities) running on this node.");
        sb.append("qt_shard_entities{node=\"").append(node).append("\",region=\"symbol-ranker\"} ").append(entities).append('\n');
      });
      join(health).ifPresent(h -> {
        header(sb, "qt_journal_write_latency_seconds", "gauge", "Latency of the last journal probe write.");
        line(sb, "qt_journal_write_latency_seconds", h.observation() == null ? Double.NaN : h.observation().journal().lastLatencyMs() / 1000.0);
        header(sb, "qt_journal_probe_failures", "gauge", "Journal probes failed in a row.");
        line(sb, "qt_journal_probe_failures", h.observation() == null ? 0 : h.observation().journal().consecutiveFailures());
        header(sb, "qt_health_status", "gauge", "1 for the node's current health status.");
        for (HealthStatus st : HealthStatus.values()) {
          sb.append("qt_health_status{status=\"").append(st).append("\"} ").append(st == h.status() ? 1 : 0).append('\n');
        }
      });
      join(book).ifPresent(v -> {
        header(sb, "qt_equity", "gauge", "Equity of the paper book (quote currency).");
        line(sb, "qt_equity", v.equity());
        header(sb, "qt_open_positions", "gauge", "Open positions of the paper book.");
        line(sb, "qt_open_positions", v.positions().size());
        header(sb, "qt_realized_pnl", "gauge", "Realized PnL of the paper book.");
        line(sb, "qt_realized_pnl", v.realizedPnl());
        header(sb, "qt_gross_exposure", "gauge", "Sum of |position value| of the paper book.");
        line(sb, "qt_gross_exposure", v.grossExposure());
      });
      join(policy).ifPresent(p -> {
        header(sb, "qt_policy_mode", "gauge", "1 for the policy's current risk mode.");
        for (RiskMode m : RiskMode.values()) {
          sb.append("qt_policy_mode{mode=\"").append(m).append("\"} ").append(m == p.policy().riskMode() ? 1 : 0).append('\n');
        }
        header(sb, "qt_policy_version", "gauge", "The policy's version (journal sequence number).");
        line(sb, "qt_policy_version", p.version());
      });
      return sb.toString();
    });
  }

  /**
   * How long a scrape (and the status summary) waits for a component at most: one that does not answer
   * (restarting, e.g. while the database is unreachable) leaves its lines out of this scrape, well within
   * Prometheus' default 10 s scrape timeout (with the ask timeout, 5 s, a scrape during an outage took
   * about 6 s).
   */
  static final java.time.Duration SUMMARY_WAIT = java.time.Duration.ofSeconds(2);

  /** The shorter of the ask timeout and {@link #SUMMARY_WAIT}. */
  static java.time.Duration summaryWait(java.time.Duration askTimeout) {
    return askTimeout.compareTo(SUMMARY_WAIT) < 0 ? askTimeout : SUMMARY_WAIT;
  }

  private <Q, R> CompletionStage<Optional<R>> opt(RecipientRef<Q> to, Function<ActorRef<R>, Q> msg) {
    if (to == null) return CompletableFuture.completedFuture(Optional.empty());
    return Futures.on(AskPattern.ask(to, msg::apply, summaryWait(b.askTimeout()), b.system().scheduler()), b.system().executionContext())
        .handle((v, err) -> err == null ? Optional.ofNullable(v) : Optional.empty());
  }

  private static <T> Optional<T> join(CompletionStage<Optional<T>> s) {
    return s.toCompletableFuture().join();
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder sb, String name, double v) {
    sb.append(name).append(' ').append(Double.isNaN(v) ? "NaN" : v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
        : String.valueOf(v)).append('\n');
  }
}
