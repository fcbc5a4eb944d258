package com.quantumtrader.api;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.health.HealthMonitor;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management liveness check (configured in application.conf): the node's actors still answer
 * (its health monitor replies within three seconds, whatever the health it reports). A node that
 * is alive but unhealthy stays up; it is not ready.
 */
public final class NodeLiveness implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public NodeLiveness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    var typed = Adapter.toTyped(system);
    return system.actorSelection("/user/health-monitor").resolveOne(Duration.ofSeconds(3))
        .thenCompose(ref -> AskPattern.<HealthMonitor.Command, HealthMonitor.Health>ask(Adapter.toTyped(ref).unsafeUpcast(),
            HealthMonitor.GetHealth::new, Duration.ofSeconds(3), typed.scheduler()))
        .handle((h, err) -> err == null && h != null);
  }
}
