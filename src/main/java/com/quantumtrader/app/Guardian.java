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
import com.quantumtrader.analytics.AnalyticsProjection;
import com.quantumtrader.common.Futures;
import com.quantumtrader.execution.Orchestrator;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.msc.MetaStrategyController;
import com.quantumtrader.strategy.StrategyRegistry;

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
 *   <li>paper broker: a cluster singleton, the fund's one event-sourced book
 *   <li>market feed: a cluster singleton that streams bars to the rankers and the broker
 *   <li>orchestrator: a cluster singleton that turns signals into orders within the policy
 *   <li>meta strategy controller: a cluster singleton that sets the risk mode
 *   <li>analytics projection: a cluster singleton that follows the journal into read-side tables
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
      ActorRef<MarketFeed.Command> marketFeed,
      ActorRef<PaperBroker.Command> broker,
      ActorRef<Orchestrator.Command> orchestrator,
      ActorRef<MetaStrategyController.Command> msc,
      ActorRef<AnalyticsProjection.Command> analytics,
      ActorRef<HealthMonitor.Command> health,
      ActorRef<StrategyRegistry.Command> strategyRegistry,
      ActorRef<com.quantumtrader.strategy.StrategyGenerator.Command> strategyGenerator) {}

  private record ClusterUp(SelfUp up) implements Command {}

  /** Replies with the API's and the management port's bindings once bound (null ones if disabled or failed). */
  public record GetApiBinding(ActorRef<com.quantumtrader.api.ApiServer.Bound> replyTo) implements Command {}

  /** Why a node stops when its API or management port cannot be bound. */
  public enum ApiNotServing implements akka.actor.CoordinatedShutdown.Reason {
    INSTANCE
  }

  private record ApiBound(com.quantumtrader.api.ApiServer.Bound bound, Throwable failure) implements Command {}

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

          ActorRef<PaperBroker.Command> broker = null;
          var exec = settings.execution();
          if (exec.enabled()) {
            broker = PaperBroker.initSingleton(system, Supervision.component("paper-broker", PaperBroker.create(exec.broker())));
            log.info("started paper-broker (cluster singleton; {} initial capital, fee {}, slippage {})",
                exec.initialCapital(), exec.feeRate(), exec.slippage());
          } else {
            log.info("execution disabled (QT_EXECUTION_ENABLED=false): no paper book, no orchestrator");
          }

          ActorRef<MarketFeed.Command> feed = null;
          if (settings.market().enabled()) {
            MarketFeed.Delivery deliver = RankerWorker.delivery(system, settings.node().askTimeout());
            if (broker != null) {
              deliver = both(deliver, PaperBroker.delivery(system, broker, settings.node().askTimeout()), system.executionContext());
            }
            feed = ClusterSingleton.get(system).init(SingletonActor.of(
                    Supervision.component("market-feed", MarketFeed.create(settings.market(), deliver)), "market-feed")
                .withStopMessage(MarketFeed.Stop.INSTANCE));
            log.info("started market-feed (cluster singleton)");
          } else {
            log.info("market feed disabled (QT_MARKET_ENABLED=false)");
          }

          ActorRef<StrategyRegistry.Command> strategyRegistry = null;
          if (settings.strategyRegistry().enabled()) {
            strategyRegistry = StrategyRegistry.initSingleton(system, Supervision.component("strategy-registry",
                StrategyRegistry.create(settings.strategyRegistry(), exec.strategies(), policyStore, settings.node().askTimeout())));
            log.info("started strategy-registry (cluster singleton; configured strategies it does not know yet are registered LIVE)");
          }

          ActorRef<com.quantumtrader.strategy.StrategyGenerator.Command> generator = null;
          if (settings.sgAi().enabled()) {
            generator = com.quantumtrader.strategy.StrategyGenerator.initSingleton(system, Supervision.component("strategy-generator",
                com.quantumtrader.strategy.StrategyGenerator.create(new com.quantumtrader.strategy.StrategyGenerator.Settings(
                    settings.sgAi().populationSize(), settings.sgAi().generations(), 20_000, settings.market().intervals(),
                    settings.sgAi().resumeInterrupted(),
                    settings.policyStore().preset(com.quantumtrader.policy.RiskMode.NORMAL).minConfidence()),
                strategyRegistry)));
            log.info("started strategy-generator (cluster singleton; population {}, {} generations by default)",
                settings.sgAi().populationSize(), settings.sgAi().generations());
          }

          ActorRef<Orchestrator.Command> orchestrator = null;
          if (broker != null) {
            orchestrator = Orchestrator.initSingleton(system, Supervision.component("orchestrator",
                Orchestrator.create(exec.orchestrator(settings.node().askTimeout()), broker, policyStore, strategyRegistry)));
            log.info("started orchestrator (cluster singleton; strategies {})",
                exec.strategies().stream().map(com.quantumtrader.strategy.StrategySpec::id).toList());
            for (com.quantumtrader.strategy.StrategySpec s : exec.strategies()) {
              if (com.quantumtrader.strategy.StrategySpec.idProblem(s.id()) != null) {
                log.warn("strategy id {} (quantum-trader.execution.strategies) does not start with a letter or digit: the policy's allow"
                    + " and block lists cannot name it; give it a new id (the registry keeps this one: retire it with"
                    + " `strategies retire --reason TEXT -- {}`)", s.id(), s.id());
              }
            }
          }

          ActorRef<MetaStrategyController.Command> msc = null;
          if (settings.msc().enabled()) {
            var m = settings.msc();
            msc = MetaStrategyController.initSingleton(system, Supervision.component("meta-strategy-controller",
                MetaStrategyController.create(new MetaStrategyController.Settings(m.updateInterval(), m.autoAdjust(), m.thresholds(),
                    m.rules(), settings.node().askTimeout(), m.criticalConfirm()), aggregator, feed, policyStore, settings.policyStore().initialMode())));
            log.info("started meta-strategy-controller (cluster singleton; every {}, auto-adjust {})", m.updateInterval(),
                m.autoAdjust());
          } else {
            log.info("MSC disabled (QT_MSC_ENABLED=false)");
          }

          ActorRef<AnalyticsProjection.Command> analytics = null;
          if (settings.analytics().enabled()) {
            analytics = AnalyticsProjection.initSingleton(system, Supervision.component("analytics-projection",
                AnalyticsProjection.create(new AnalyticsProjection.Settings(settings.jdbcTarget(),
                    java.util.List.of(PaperBroker.TAG, PolicyStore.TAG, MetaStrategyController.TAG), exec.markInterval(), 500))));
            log.info("started analytics-projection (cluster singleton; tags portfolio, policy, msc)");
          }

          ActorRef<HealthMonitor.Command> health = ctx.spawn(Supervision.component("health-monitor", HealthMonitor.create(settings.health(), feed)), "health-monitor");
          log.info("started health-monitor (checks every {} ms)", settings.health().checkInterval().toMillis());

          Components components = new Components(policyStore, aggregator, feed, broker, orchestrator, msc, analytics, health,
              strategyRegistry, generator);
          var backends = new com.quantumtrader.api.Backends(system, settings.node().askTimeout(), policyStore, aggregator, feed, broker,
              orchestrator, msc, analytics, health, strategyRegistry, generator,
              settings.market().feed() == com.quantumtrader.market.MarketSettings.Kind.CSV ? settings.market().data() : null,
              exec.strategies().stream().map(com.quantumtrader.strategy.StrategySpec::id).toList());
          ctx.pipeToSelf(com.quantumtrader.api.ApiServer.start(system, settings.api(), backends), ApiBound::new);
          java.util.List<ActorRef<com.quantumtrader.api.ApiServer.Bound>> waitingForApi = new java.util.ArrayList<>();
          com.quantumtrader.api.ApiServer.Bound[] apiBound = {null};
          return Behaviors.receive(Command.class)
              .onMessage(
                  GetComponents.class,
                  m -> {
                    m.replyTo().tell(components);
                    return Behaviors.same();
                  })
              .onMessage(ApiBound.class, m -> {
                if (m.failure() != null) {
                  // A node no operator can reach (no policy change, no override, no cluster command) must not
                  // trade on: it stops, exit status 2 (akka.coordinated-shutdown.reason-overrides), as for a bad setting.
                  log.error("api: cannot serve ({}): the node stops; free the port, or set QT_API_HOST / QT_API_PORT /"
                      + " QT_MANAGEMENT_HOST / QT_MANAGEMENT_PORT", m.failure().getMessage());
                  apiBound[0] = new com.quantumtrader.api.ApiServer.Bound(null, null);
                  akka.actor.CoordinatedShutdown.get(system).run(ApiNotServing.INSTANCE);
                } else {
                  apiBound[0] = m.bound();
                }
                waitingForApi.forEach(r -> r.tell(apiBound[0]));
                waitingForApi.clear();
                return Behaviors.same();
              })
              .onMessage(GetApiBinding.class, m -> {
                if (apiBound[0] != null) m.replyTo().tell(apiBound[0]);
                else waitingForApi.add(m.replyTo());
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

  /** Both deliveries; completes when both have taken the batch (their callbacks kept off the common pool). */
  private static MarketFeed.Delivery both(MarketFeed.Delivery a, MarketFeed.Delivery b, java.util.concurrent.Executor ec) {
    return batch -> Futures.on(a.apply(batch), ec).thenCombine(Futures.on(b.apply(batch), ec), (x, y) -> akka.Done.getInstance());
  }
}
