package com.quantumtrader.health;

import com.quantumtrader.common.ConfigReader;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * quantum-trader.health: how often the node checks itself and where the thresholds of {@link
 * HealthRules} lie.
 *
 * @param probeTimeout how long a journal probe (and the feed's status) may take before it counts
 *     as failed; longer than {@code journalLatencyDegraded}, or a slow journal would only ever be
 *     seen as a failing one
 * @param rejectRateMinRows rows the feed must have read within the window before its reject rate
 *     is judged (a handful of rows says nothing)
 * @param criticalComponents components whose repeated failure makes the node CRITICAL, not DEGRADED
 */
public record HealthSettings(
    Duration checkInterval,
    Duration probeTimeout,
    Duration journalLatencyDegraded,
    int journalFailuresCritical,
    Duration feedStaleAfter,
    double rejectRateDegraded,
    Duration rejectRateWindow,
    int rejectRateMinRows,
    List<String> criticalComponents) {

  public HealthSettings {
    criticalComponents = List.copyOf(criticalComponents);
  }

  /** The guardian's supervised components, by the names the health view and its settings use. */
  public static final List<String> COMPONENTS = List.of("policy-store", "ranking-aggregator", "meta-strategy-controller",
      "market-feed", "orchestrator", "paper-broker", "analytics-projection", "strategy-registry", "strategy-generator",
      "health-monitor");

  public static HealthSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.health");
    Duration probeTimeout = r.positiveDuration("probe-timeout", "QT_HEALTH_PROBE_TIMEOUT");
    Duration slow = r.positiveDuration("journal-latency-degraded", "QT_HEALTH_JOURNAL_LATENCY_DEGRADED");
    if (slow.compareTo(probeTimeout) >= 0) {
      throw r.error("journal-latency-degraded", "QT_HEALTH_JOURNAL_LATENCY_DEGRADED",
          "must be shorter than probe-timeout (" + probeTimeout.toMillis() + " ms)");
    }
    List<String> critical = Arrays.stream(r.string("critical-components", "QT_HEALTH_CRITICAL_COMPONENTS").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
    List<String> unknown = critical.stream().filter(c -> !COMPONENTS.contains(c)).toList();
    if (!unknown.isEmpty()) {
      // a typo would quietly take a component's failures down from CRITICAL to DEGRADED
      throw r.error("critical-components", "QT_HEALTH_CRITICAL_COMPONENTS", "names no component: " + String.join(", ", unknown)
          + "; the components are " + String.join(", ", COMPONENTS));
    }
    return new HealthSettings(
        r.positiveDuration("check-interval", "QT_HEALTH_CHECK_INTERVAL"),
        probeTimeout,
        slow,
        r.intIn("journal-failures-critical", "QT_HEALTH_JOURNAL_FAILURES_CRITICAL", 1, 1000),
        r.positiveDuration("feed-stale-after", "QT_HEALTH_FEED_STALE_AFTER"),
        r.doubleIn("reject-rate-degraded", "QT_HEALTH_REJECT_RATE_DEGRADED", 0.0, 1.0, true),
        r.positiveDuration("reject-rate-window", "QT_HEALTH_REJECT_RATE_WINDOW"),
        r.intIn("reject-rate-min-rows", "QT_HEALTH_REJECT_RATE_MIN_ROWS", 1, 100_000_000),
        critical);
  }
}
