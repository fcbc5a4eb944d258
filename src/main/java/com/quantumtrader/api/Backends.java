package com.quantumtrader.api;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import com.quantumtrader.analytics.AnalyticsProjection;
import com.quantumtrader.execution.Orchestrator;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.msc.MetaStrategyController;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.ranker.RankingAggregator;
import java.time.Duration;
import java.util.List;

/**
 * What the API talks to: the node's components (a disabled one is null, and its routes answer 503)
 * and the ids of the live strategy instances.
 */
public record Backends(
    ActorSystem<?> system,
    Duration askTimeout,
    ActorRef<PolicyStore.Command> policyStore,
    ActorRef<RankingAggregator.Command> rankings,
    ActorRef<MarketFeed.Command> feed,
    ActorRef<PaperBroker.Command> broker,
    ActorRef<Orchestrator.Command> orchestrator,
    ActorRef<MetaStrategyController.Command> msc,
    ActorRef<AnalyticsProjection.Command> analytics,
    ActorRef<HealthMonitor.Command> health,
    ActorRef<com.quantumtrader.strategy.StrategyRegistry.Command> strategies,
    List<String> strategyIds) {}
