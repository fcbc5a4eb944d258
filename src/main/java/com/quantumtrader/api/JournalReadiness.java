package com.quantumtrader.api;

import akka.actor.ActorSystem;
import com.quantumtrader.common.JdbcTarget;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management readiness check (configured in application.conf): the journal's database answers
 * within two seconds. Together with Akka Management's own cluster-membership check, a node is ready
 * when it is an Up member and can write.
 */
public final class JournalReadiness implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;
  private final JdbcTarget db;

  public JournalReadiness(ActorSystem system) {
    this.system = system;
    this.db = com.quantumtrader.app.Settings.load(system.settings().config()).jdbcTarget();
  }

  @Override
  public CompletionStage<Boolean> get() {
    return problem().thenApply(java.util.Optional::isEmpty);
  }

  /**
   * What keeps the journal's database from answering, in words (empty when it answers within two
   * seconds): what {@code GET /ready} says when it is not ready.
   */
  public CompletionStage<java.util.Optional<String>> problem() {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = db.connect()) {
        return c.isValid(2) ? java.util.Optional.<String>empty() : java.util.Optional.of("the journal database did not answer a check within 2 s");
      } catch (Exception e) {
        return java.util.Optional.of("the journal database cannot be reached: " + com.quantumtrader.common.ConfigReader.oneLine(e));
      }
    }, system.dispatchers().lookup(com.quantumtrader.analytics.AnalyticsProjection.DISPATCHER))
        .completeOnTimeout(java.util.Optional.of("the journal database did not answer within 3 s"), 3, java.util.concurrent.TimeUnit.SECONDS);
  }
}
