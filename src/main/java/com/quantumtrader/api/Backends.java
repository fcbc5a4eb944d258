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
 * the node's candle data (null for the synthetic market; the generator evolves on it) and the ids of
 * the configured strategy instances.
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
    ActorRef<com.quantumtrader.strategy.StrategyGenerator.Command> generator,
    java.nio.file.Path marketData,
    List<String> strategyIds) {}
