package com.quantumtrader.app;

import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.quantumtrader.health.ComponentRegistry;
import java.time.Duration;

/** How the guardian supervises its components: restart with backoff, and record every (re)start. */
final class Supervision {
  private Supervision() {}

  static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * The component restarts with exponential backoff on any failure, without a maximum: a trading
   * node must not silently run without its policy or its rankers. A component that keeps failing
   * is reported by the {@link ComponentRegistry} (log at ERROR, and the health view).
   */
  static <T> Behavior<T> component(String name, Behavior<T> behavior) {
    if (!com.quantumtrader.health.HealthSettings.COMPONENTS.contains(name)) {
      // QT_HEALTH_CRITICAL_COMPONENTS is checked against that list: a component missing there could not be named
      throw new IllegalArgumentException("component " + name + " is not in HealthSettings.COMPONENTS");
    }
    return Behaviors.supervise(
            Behaviors.<T>setup(
                ctx -> {
                  ComponentRegistry.get(ctx.getSystem()).started(name);
                  return behavior;
                }))
        .onFailure(SupervisorStrategy.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, 0.2));
  }
}
