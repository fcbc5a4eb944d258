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
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = db.connect()) {
        return c.isValid(2);
      } catch (Exception e) {
        return false;
      }
    }, system.dispatchers().lookup(com.quantumtrader.analytics.AnalyticsProjection.DISPATCHER));
  }
}
