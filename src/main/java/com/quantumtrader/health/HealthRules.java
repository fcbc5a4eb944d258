package com.quantumtrader.health;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.HealthStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one {@link HealthObservation} into the node's status and the reasons for it. Each rule
 * that fires adds a {@link Finding}; the worst finding's severity is the status (HEALTHY when none
 * fires), and the reasons list every finding, worst first.
 *
 * <ul>
 *   <li><b>Journal.</b> The latest probe write failed or timed out, or took longer than {@code
 *       journal-latency-degraded}: DEGRADED. {@code journal-failures-critical} probes in a row
 *       failed: CRITICAL (the node cannot record anything: policy changes, checkpoints, trades).
 *   <li><b>Cluster.</b> Any member unreachable from this node: DEGRADED. Unreachable members are at
 *       least half of the members that are Up: CRITICAL (the split brain resolver may down one side).
 *   <li><b>Market feed</b> (when the node watches one). RUNNING but no new bar delivered for {@code
 *       feed-stale-after}, or not answering its status for that long: DEGRADED. FAILED: DEGRADED. A
 *       finite feed that COMPLETED is fine. Rejected rows above {@code reject-rate-degraded} of the
 *       rows read within {@code reject-rate-window} (once at least {@code reject-rate-min-rows} were
 *       read): DEGRADED.
 *   <li><b>Components.</b> A supervised component that keeps failing (see {@link
 *       ComponentRegistry}): DEGRADED, or CRITICAL for those named in {@code critical-components}
 *       (the policy store by default: without it no risk limit can be read or changed).
 * </ul>
 *
 * <p>Each finding has a stable {@link Finding#key() key} beside its text: the monitor compares keys
 * to decide whether the reasons changed, so that a number in a text (a latency, a rate) does not
 * announce a new status at every check.
 */
public final class HealthRules {
  private HealthRules() {}

  /** One rule that fired. */
  public record Finding(String key, HealthStatus severity, String text) implements CborSerializable {}

  /** The status and its findings, worst first. */
  public record Assessment(HealthStatus status, List<Finding> findings) implements CborSerializable {
    public Assessment {
      findings = List.copyOf(findings);
    }

    public List<String> reasons() {
      return findings.stream().map(Finding::text).toList();
    }

    public Set<String> keys() {
      Set<String> keys = new TreeSet<>();
      for (Finding f : findings) keys.add(f.key());
      return keys;
    }
  }

  public static Assessment evaluate(HealthObservation o, HealthSettings s) {
    List<Finding> out = new ArrayList<>();
    journal(o.journal(), s, out);
    cluster(o.cluster(), out);
    if (o.feed().present()) feed(o.feed(), s, out);
    for (HealthObservation.Component c : o.components()) {
      if (!c.failing()) continue;
      boolean critical = s.criticalComponents().contains(c.name());
      out.add(new Finding("component.failing:" + c.name(), critical ? HealthStatus.CRITICAL : HealthStatus.DEGRADED,
          "component " + c.name() + " keeps failing (" + c.recentRestarts() + " recent restarts)"));
    }
    // Stable sort: worst first, rule order within a severity.
    out.sort(Comparator.comparing((Finding f) -> f.severity()).reversed());
    HealthStatus status = out.isEmpty() ? HealthStatus.HEALTHY : out.get(0).severity();
    return new Assessment(status, out);
  }

  private static void journal(HealthObservation.Journal j, HealthSettings s, List<Finding> out) {
    if (j.consecutiveFailures() >= s.journalFailuresCritical()) {
      out.add(new Finding("journal.down", HealthStatus.CRITICAL,
          "journal: " + j.consecutiveFailures() + " probe writes in a row failed (last: " + j.lastError() + ")"));
    } else if (!j.lastSucceeded()) {
      out.add(new Finding("journal.failed", HealthStatus.DEGRADED, "journal: probe write failed (" + j.lastError() + ")"));
    } else if (j.lastLatencyMs() > s.journalLatencyDegraded().toMillis()) {
      out.add(new Finding("journal.slow", HealthStatus.DEGRADED,
          "journal: probe write took " + j.lastLatencyMs() + " ms (limit " + s.journalLatencyDegraded().toMillis() + " ms)"));
    }
  }

  private static void cluster(HealthObservation.ClusterView c, List<Finding> out) {
    int unreachable = c.unreachable().size();
    if (unreachable == 0) return;
    boolean half = unreachable * 2 >= Math.max(1, c.membersUp());
    out.add(new Finding("cluster.unreachable", half ? HealthStatus.CRITICAL : HealthStatus.DEGRADED,
        "cluster: " + unreachable + " of " + c.membersUp() + " members unreachable " + c.unreachable()));
  }

  private static void feed(HealthObservation.Feed f, HealthSettings s, List<Finding> out) {
    long staleMs = s.feedStaleAfter().toMillis();
    if ((f.state() == HealthObservation.FeedState.RUNNING || f.state() == HealthObservation.FeedState.COMPLETED) && f.error() != null) {
      // files it could not read, left out while the others go on
      out.add(new Finding("feed.left_out", HealthStatus.DEGRADED, "market feed " + f.error()));
    }
    switch (f.state()) {
      case FAILED -> out.add(new Finding("feed.failed", HealthStatus.DEGRADED, "market feed failed: " + f.error()));
      case RUNNING -> {
        if (f.msSinceProgress() > staleMs) {
          out.add(new Finding("feed.stale", HealthStatus.DEGRADED,
              "market feed running but no bar delivered for " + seconds(f.msSinceProgress()) + " (limit " + seconds(staleMs) + ")"));
        }
      }
      case UNKNOWN -> {
        if (f.msSinceProgress() > staleMs) {
          out.add(new Finding("feed.silent", HealthStatus.DEGRADED,
              "market feed has not answered for " + seconds(f.msSinceProgress()) + " (" + f.error() + ")"));
        }
      }
      case COMPLETED -> {}
    }
    if (f.recentRows() >= s.rejectRateMinRows() && f.recentRejectRate() > s.rejectRateDegraded()) {
      out.add(new Finding("feed.rejects", HealthStatus.DEGRADED, String.format(java.util.Locale.ROOT,
          "market feed rejected %.1f %% of rows in the last %d s (%d of %d; limit %.1f %%)", 100 * f.recentRejectRate(),
          s.rejectRateWindow().toSeconds(), f.recentRejected(), f.recentRows(), 100 * s.rejectRateDegraded())));
    }
  }

  /** "61 s", or "1.2 s" below ten seconds. */
  static String seconds(long ms) {
    return ms >= 10_000 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
