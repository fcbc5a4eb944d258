package com.quantumtrader.health;

import com.quantumtrader.common.CborSerializable;
import java.util.List;

/**
 * What the health monitor saw in one check, the input of {@link HealthRules}.
 *
 * @param journal the journal probe
 * @param cluster this node's view of the cluster
 * @param feed the market feed; {@link Feed#absent()} on a node configured without one
 * @param components every supervised component of the node, as the {@link ComponentRegistry} sees it
 */
public record HealthObservation(Journal journal, ClusterView cluster, Feed feed, List<Component> components)
    implements CborSerializable {

  public HealthObservation {
    components = List.copyOf(components);
  }

  /**
   * @param lastLatencyMs how long the last successful probe write took
   * @param consecutiveFailures failed or timed-out probes since the last successful one
   * @param lastSucceeded whether the latest probe succeeded
   * @param lastError why the latest probe failed (null when it succeeded)
   */
  public record Journal(long lastLatencyMs, int consecutiveFailures, boolean lastSucceeded, String lastError)
      implements CborSerializable {
    public static Journal ok(long latencyMs) {
      return new Journal(latencyMs, 0, true, null);
    }
  }

  /**
   * @param membersUp members with status Up (unreachable ones included)
   * @param unreachable addresses of the members this node cannot reach
   */
  public record ClusterView(int membersUp, List<String> unreachable) implements CborSerializable {
    public ClusterView {
      unreachable = List.copyOf(unreachable);
    }
  }

  /** The feed's state as it answers it; UNKNOWN when it did not answer in time. */
  public enum FeedState {
    RUNNING,
    COMPLETED,
    FAILED,
    UNKNOWN
  }

  /**
   * @param present whether this node watches a feed at all
   * @param msSinceProgress while RUNNING (or not answering): how long since the delivered-bar
   *     count last grew; 0 otherwise
   * @param recentRows rows read (delivered, undelivered and rejected) within the reject-rate window
   * @param recentRejected rows rejected within that window
   * @param error the feed's failure, or why its status is unknown
   */
  public record Feed(boolean present, FeedState state, long msSinceProgress, long delivered, long rejected,
      long recentRows, long recentRejected, String error) implements CborSerializable {
    public static Feed absent() {
      return new Feed(false, FeedState.UNKNOWN, 0, 0, 0, 0, 0, null);
    }

    /** Rejected rows per row read within the window (0 when nothing was read). */
    public double recentRejectRate() {
      return recentRows == 0 ? 0 : (double) recentRejected / recentRows;
    }
  }

  /** One entry of the {@link ComponentRegistry}. */
  public record Component(String name, boolean failing, int recentRestarts) implements CborSerializable {}
}
