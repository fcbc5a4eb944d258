package com.quantumtrader.strategy;

import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * quantum-trader.strategy-registry: the registry's evaluation interval, snapshots and lifecycle thresholds.
 *
 * @param firstEvaluationDelay how long after the registry starts (or moves to another node) its first
 *     evaluation comes; the interval counts from there. Without it a registry restarted more often than
 *     the interval would never evaluate.
 */
public record StrategyRegistrySettings(boolean enabled, Duration evaluationInterval, Duration firstEvaluationDelay,
    int snapshotEvery, LifecycleSettings lifecycle) {

  /** The first evaluation's delay, never later than the interval. */
  public Duration firstDelay() {
    return firstEvaluationDelay.compareTo(evaluationInterval) < 0 ? firstEvaluationDelay : evaluationInterval;
  }

  public static final String SECTION = "quantum-trader.strategy-registry";
  private static final String ENV = "QT_STRATEGY_REGISTRY_";

  public static StrategyRegistrySettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, SECTION);
    LifecycleSettings l = new LifecycleSettings(
        r.intIn("min-trades", ENV + "MIN_TRADES", 1, 1_000_000),
        r.doubleIn("min-days", ENV + "MIN_DAYS", 0, 3650, false),
        r.doubleIn("min-sharpe", ENV + "MIN_SHARPE", -10, 20, false),
        r.doubleIn("max-drawdown", ENV + "MAX_DRAWDOWN", 0, 1, true),
        r.doubleIn("min-profit-factor", ENV + "MIN_PROFIT_FACTOR", 0, 100, false),
        r.doubleIn("incumbent-margin", ENV + "INCUMBENT_MARGIN", 0, 20, false),
        r.doubleIn("demote-max-drawdown", ENV + "DEMOTE_MAX_DRAWDOWN", 0, 1, true),
        r.doubleIn("decay-window-days", ENV + "DECAY_WINDOW_DAYS", 0, 3650, true),
        r.intIn("decay-min-trades", ENV + "DECAY_MIN_TRADES", 0, 1_000_000),
        r.doubleIn("decay-sharpe-floor", ENV + "DECAY_SHARPE_FLOOR", -20, 20, false),
        r.doubleIn("decay-max-drop", ENV + "DECAY_MAX_DROP", 0, 40, true));
    List<String> bad = l.inconsistencies();
    if (!bad.isEmpty()) throw new SettingsException(SECTION + ": " + String.join("; ", bad));
    return new StrategyRegistrySettings(
        r.bool("enabled", ENV + "ENABLED"),
        r.positiveDuration("evaluation-interval", ENV + "EVALUATION_INTERVAL"),
        r.positiveDuration("first-evaluation-delay", ENV + "FIRST_EVALUATION_DELAY"),
        r.intIn("snapshot-every", ENV + "SNAPSHOT_EVERY", 1, 1_000_000),
        l);
  }
}
