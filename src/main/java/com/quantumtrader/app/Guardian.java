package com.quantumtrader.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.ranker.RankerWorker;
import com.quantumtrader.ranker.RankingAggregator;
import com.quantumtrader.policy.PolicyStore;

/**
 * The root of the supervision tree. It starts the node's components in order (each supervised
 * with restart-with-backoff, see {@link Supervision}) and answers where they are:
 *
 * <ol>
 *   <li>cluster membership (joins itself when no seed nodes are configured)
 *   <li>event bus: one topic per event type
 *   <li>policy store: a cluster singleton, so the policy has one writer
 *   <li>ranking aggregator: a cluster singleton that ranks every symbol's latest score
 *   <li>symbol rankers: Cluster Sharding entities ({@code symbol-ranker}), one per symbol
 *   <li>market feed: a cluster singleton that streams bars to the rankers
 *   <li>health monitor: one per node, publishes {@code health.status_changed}
 * </ol>
 */
public final class Guardian {
  private Guardian() {}

  public interface Command {}

  /** Replies with the node's component references. */
  public record GetComponents(ActorRef<Components> replyTo) implements Command {}

  /** References to the node's components; a disabled component is null. */
  public record Components(
      ActorRef<PolicyStore.Command> policyStore,
      ActorRef<RankingAggregator.Command> rankingAggregator,
      ActorRef<MarketFeed.Command> marketFeed) {}

  private record ClusterUp(SelfUp up) implements Command {}

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(
        ctx -> {
          var system = ctx.getSystem();
          var log = ctx.getLog();
          Cluster cluster = Cluster.get(system);
          cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, ClusterUp::new), SelfUp.class));
          if (settings.cluster().seedNodes().isEmpty()) {
            log.info("cluster: no seed nodes configured, joining myself at {}", cluster.selfMember().address());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
          } else {
            log.info("cluster: joining through seed nodes {}", settings.cluster().seedNodes());
          }

          EventBus bus = EventBus.get(system);
          log.info(
              "started event-bus: {} event types, subscriber buffer {}, delivery window {}",
              com.quantumtrader.bus.EventType.values().length,
              bus.settings().maxQueueSize(),
              bus.settings().deliveryWindow());

          ActorRef<PolicyStore.Command> policyStore = null;
          if (settings.policyStore().enabled()) {
            policyStore =
                PolicyStore.initSingleton(
                    system, Supervision.component("policy-store", PolicyStore.create(settings.policyStore())));
            log.info(
                "started policy-store (cluster singleton; a new policy starts in {} mode)",
                settings.policyStore().initialMode());
          } else {
            log.info("policy-store disabled (QT_POLICY_STORE_ENABLED=false)");
          }

          ActorRef<RankingAggregator.Command> aggregator = RankingAggregator.initSingleton(
              system, Supervision.component("ranking-aggregator", RankingAggregator.create(settings.ranker(), policyStore)));
          log.info("started ranking-aggregator (cluster singleton; top {} every {})", settings.ranker().topN(), settings.ranker().updateInterval());
          RankerWorker.init(system, settings.ranker(), aggregator);
          log.info("started symbol-ranker (cluster sharding, {} shards)",
              system.settings().config().getInt("akka.cluster.sharding.number-of-shards"));

          ActorRef<MarketFeed.Command> feed = null;
          if (settings.market().enabled()) {
            MarketFeed.Delivery deliver = RankerWorker.delivery(system, settings.node().askTimeout());
            feed = ClusterSingleton.get(system).init(SingletonActor.of(
                    Supervision.component("market-feed", MarketFeed.create(settings.market(), deliver)), "market-feed")
                .withStopMessage(MarketFeed.Stop.INSTANCE));
            log.info("started market-feed (cluster singleton)");
          } else {
            log.info("market feed disabled (QT_MARKET_ENABLED=false)");
          }

          ctx.spawn(Supervision.component("health-monitor", HealthMonitor.create(settings.health(), feed)), "health-monitor");
          log.info("started health-monitor (checks every {} ms)", settings.health().checkInterval().toMillis());

          Components components = new Components(policyStore, aggregator, feed);
          return Behaviors.receive(Command.class)
              .onMessage(
                  GetComponents.class,
                  m -> {
                    m.replyTo().tell(components);
                    return Behaviors.same();
                  })
              .onMessage(
                  ClusterUp.class,
                  m -> {
                    log.info("cluster: this node is Up; members: {}", cluster.state().getMembers());
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
