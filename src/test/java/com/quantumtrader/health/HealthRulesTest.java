package com.quantumtrader.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.quantumtrader.app.ConfigLoader;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.common.SettingsException;
import com.quantumtrader.health.HealthObservation.ClusterView;
import com.quantumtrader.health.HealthObservation.Component;
import com.quantumtrader.health.HealthObservation.Feed;
import com.quantumtrader.health.HealthObservation.FeedState;
import com.quantumtrader.health.HealthObservation.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class HealthRulesTest {

  private static final HealthSettings S = HealthSettings.fromConfig(ConfigLoader.load(null, Map.of()));

  private static final Journal JOURNAL_OK = Journal.ok(12);
  private static final ClusterView ONE_NODE = new ClusterView(1, List.of());
  private static final Feed FEED_OK = new Feed(true, FeedState.RUNNING, 1_000, 5_000, 0, 5_000, 0, null);

  private static HealthObservation obs(Journal j, ClusterView c, Feed f, List<Component> components) {
    return new HealthObservation(j, c, f, components);
  }

  private static HealthRules.Assessment eval(HealthObservation o) {
    return HealthRules.evaluate(o, S);
  }

  private static void assertOnly(HealthRules.Assessment a, HealthStatus status, String key) {
    assertEquals(a.reasons().toString(), status, a.status());
    assertEquals(a.reasons().toString(), List.of(key), List.copyOf(a.keys()));
  }

  @Test
  public void defaultsMatchTheDocumentedValues() {
    assertEquals(Duration.ofSeconds(2), S.checkInterval());
    assertEquals(Duration.ofMillis(500), S.journalLatencyDegraded());
    assertEquals(3, S.journalFailuresCritical());
    assertEquals(Duration.ofSeconds(60), S.feedStaleAfter());
    assertEquals(0.05, S.rejectRateDegraded(), 0);
    assertEquals(List.of("policy-store"), S.criticalComponents());
  }

  @Test
  public void allChecksPassingIsHealthyWithoutReasons() {
    HealthRules.Assessment a = eval(obs(JOURNAL_OK, ONE_NODE, FEED_OK, List.of(new Component("ranker", false, 1))));
    assertEquals(HealthStatus.HEALTHY, a.status());
    assertEquals(List.of(), a.reasons());
  }

  @Test
  public void slowOrOnceFailedJournalIsDegradedAndRepeatedFailuresAreCritical() {
    assertOnly(eval(obs(Journal.ok(501), ONE_NODE, FEED_OK, List.of())), HealthStatus.DEGRADED, "journal.slow");
    assertEquals(HealthStatus.HEALTHY, eval(obs(Journal.ok(500), ONE_NODE, FEED_OK, List.of())).status());
    Journal once = new Journal(12, 1, false, "no answer within 2000 ms");
    HealthRules.Assessment a = eval(obs(once, ONE_NODE, FEED_OK, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "journal.failed");
    assertEquals(List.of("journal: probe write failed (no answer within 2000 ms)"), a.reasons());
    Journal twice = new Journal(12, 2, false, "x");
    assertOnly(eval(obs(twice, ONE_NODE, FEED_OK, List.of())), HealthStatus.DEGRADED, "journal.failed");
    Journal down = new Journal(12, 3, false, "Connection refused");
    a = eval(obs(down, ONE_NODE, FEED_OK, List.of()));
    assertOnly(a, HealthStatus.CRITICAL, "journal.down");
    assertEquals(List.of("journal: 3 probe writes in a row failed (last: Connection refused)"), a.reasons());
  }

  @Test
  public void anUnreachableMemberIsDegradedAndHalfTheClusterUnreachableIsCritical() {
    ClusterView oneOfThree = new ClusterView(3, List.of("akka://QuantumTrader@10.0.0.2:25520"));
    HealthRules.Assessment a = eval(obs(JOURNAL_OK, oneOfThree, FEED_OK, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "cluster.unreachable");
    assertEquals(List.of("cluster: 1 of 3 members unreachable [akka://QuantumTrader@10.0.0.2:25520]"), a.reasons());
    ClusterView twoOfFour = new ClusterView(4, List.of("a", "b"));
    assertOnly(eval(obs(JOURNAL_OK, twoOfFour, FEED_OK, List.of())), HealthStatus.CRITICAL, "cluster.unreachable");
    ClusterView oneOfTwo = new ClusterView(2, List.of("a"));
    assertOnly(eval(obs(JOURNAL_OK, oneOfTwo, FEED_OK, List.of())), HealthStatus.CRITICAL, "cluster.unreachable");
  }

  @Test
  public void aStaleOrFailedFeedIsDegradedButACompletedOneIsFine() {
    Feed stale = new Feed(true, FeedState.RUNNING, 61_000, 5_000, 0, 0, 0, null);
    HealthRules.Assessment a = eval(obs(JOURNAL_OK, ONE_NODE, stale, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "feed.stale");
    assertEquals(List.of("market feed running but no bar delivered for 61 s (limit 60 s)"), a.reasons());
    Feed failed = new Feed(true, FeedState.FAILED, 0, 5_000, 0, 0, 0, "disk gone");
    a = eval(obs(JOURNAL_OK, ONE_NODE, failed, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "feed.failed");
    assertEquals(List.of("market feed failed: disk gone"), a.reasons());
    Feed completed = new Feed(true, FeedState.COMPLETED, 0, 5_000, 0, 0, 0, null);
    assertEquals(HealthStatus.HEALTHY, eval(obs(JOURNAL_OK, ONE_NODE, completed, List.of())).status());
    // files it could not read, left out while the others go on
    Feed leftOut = new Feed(true, FeedState.RUNNING, 1_000, 5_000, 0, 0, 0, "left out 1 file it could not read: X-1h.csv (...)");
    a = eval(obs(JOURNAL_OK, ONE_NODE, leftOut, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "feed.left_out");
    assertEquals(List.of("market feed left out 1 file it could not read: X-1h.csv (...)"), a.reasons());
    Feed silent = new Feed(true, FeedState.UNKNOWN, 61_000, 5_000, 0, 0, 0, "no answer within 2000 ms");
    assertOnly(eval(obs(JOURNAL_OK, ONE_NODE, silent, List.of())), HealthStatus.DEGRADED, "feed.silent");
    Feed briefSilence = new Feed(true, FeedState.UNKNOWN, 3_000, 5_000, 0, 0, 0, "no answer within 2000 ms");
    assertEquals(HealthStatus.HEALTHY, eval(obs(JOURNAL_OK, ONE_NODE, briefSilence, List.of())).status());
    assertEquals(HealthStatus.HEALTHY, eval(obs(JOURNAL_OK, ONE_NODE, Feed.absent(), List.of())).status());
  }

  @Test
  public void aRejectRateAboveTheLimitIsDegradedOnceEnoughRowsWereRead() {
    Feed rejecting = new Feed(true, FeedState.RUNNING, 0, 10_000, 600, 1_000, 60, null);
    HealthRules.Assessment a = eval(obs(JOURNAL_OK, ONE_NODE, rejecting, List.of()));
    assertOnly(a, HealthStatus.DEGRADED, "feed.rejects");
    assertEquals(List.of("market feed rejected 6.0 % of rows in the last 300 s (60 of 1000; limit 5.0 %)"), a.reasons());
    Feed atLimit = new Feed(true, FeedState.RUNNING, 0, 10_000, 600, 1_000, 50, null);
    assertEquals(HealthStatus.HEALTHY, eval(obs(JOURNAL_OK, ONE_NODE, atLimit, List.of())).status());
    Feed fewRows = new Feed(true, FeedState.RUNNING, 0, 10, 60, 99, 60, null);
    assertEquals(HealthStatus.HEALTHY, eval(obs(JOURNAL_OK, ONE_NODE, fewRows, List.of())).status());
  }

  @Test
  public void aComponentThatKeepsFailingIsDegradedAndThePolicyStoreIsCritical() {
    HealthRules.Assessment a = eval(obs(JOURNAL_OK, ONE_NODE, FEED_OK, List.of(new Component("ranking-aggregator", true, 6))));
    assertOnly(a, HealthStatus.DEGRADED, "component.failing:ranking-aggregator");
    assertEquals(List.of("component ranking-aggregator keeps failing (6 recent restarts)"), a.reasons());
    a = eval(obs(JOURNAL_OK, ONE_NODE, FEED_OK, List.of(new Component("policy-store", true, 5))));
    assertOnly(a, HealthStatus.CRITICAL, "component.failing:policy-store");
    assertEquals(HealthStatus.HEALTHY,
        eval(obs(JOURNAL_OK, ONE_NODE, FEED_OK, List.of(new Component("policy-store", false, 4)))).status());
  }

  @Test
  public void theWorstFindingWinsAndEveryFindingIsAReasonWorstFirst() {
    HealthRules.Assessment a = eval(obs(
        Journal.ok(900),
        new ClusterView(3, List.of("akka://QuantumTrader@10.0.0.3:25520")),
        new Feed(true, FeedState.FAILED, 0, 0, 0, 0, 0, "bad file"),
        List.of(new Component("policy-store", true, 5), new Component("market-feed", true, 5))));
    assertEquals(HealthStatus.CRITICAL, a.status());
    assertEquals(List.of(
        "component policy-store keeps failing (5 recent restarts)",
        "journal: probe write took 900 ms (limit 500 ms)",
        "cluster: 1 of 3 members unreachable [akka://QuantumTrader@10.0.0.3:25520]",
        "market feed failed: bad file",
        "component market-feed keeps failing (5 recent restarts)"), a.reasons());
    HealthRules.Assessment degraded = eval(obs(Journal.ok(900), ONE_NODE, new Feed(true, FeedState.FAILED, 0, 0, 0, 0, 0, "x"), List.of()));
    assertEquals(HealthStatus.DEGRADED, degraded.status());
    assertEquals(2, degraded.reasons().size());
  }

  @Test
  public void feedTrackerMeasuresStalenessAndTheRejectRateOverTheWindow() {
    FeedTracker t = new FeedTracker(10_000);
    Feed f = t.answered(0, "RUNNING", 100, 0, 0, null);
    assertEquals(0, f.msSinceProgress());
    f = t.answered(5_000, "RUNNING", 100, 0, 50, null);
    assertEquals(5_000, f.msSinceProgress());
    assertEquals("rows read since the first answer", 50, f.recentRows());
    assertEquals(50, f.recentRejected());
    f = t.answered(6_000, "RUNNING", 200, 0, 50, null);
    assertEquals(0, f.msSinceProgress());
    // 10 s later the first two samples fall out of the window; the one at 6 s is the baseline.
    f = t.answered(16_000, "RUNNING", 1_200, 0, 60, null);
    assertEquals(1_010, f.recentRows());
    assertEquals(10, f.recentRejected());
    f = t.silent(30_000, "no answer");
    assertEquals(FeedState.UNKNOWN, f.state());
    assertEquals(14_000, f.msSinceProgress());
    // A restarted feed counts from zero again: no negative window.
    f = t.answered(31_000, "RUNNING", 10, 0, 1, null);
    assertEquals(0, f.recentRows());
    f = t.answered(32_000, "COMPLETED", 10, 0, 1, null);
    assertEquals(0, f.msSinceProgress());
  }

  @Test
  public void badSettingsNameTheirKeyAndVariable() {
    assertTrue(error("QT_HEALTH_JOURNAL_LATENCY_DEGRADED", "3s")
        .contains("quantum-trader.health.journal-latency-degraded (QT_HEALTH_JOURNAL_LATENCY_DEGRADED): must be shorter than probe-timeout"));
    assertTrue(error("QT_HEALTH_REJECT_RATE_DEGRADED", "1.5").contains("QT_HEALTH_REJECT_RATE_DEGRADED"));
    assertTrue(error("QT_HEALTH_CHECK_INTERVAL", "0s").contains("QT_HEALTH_CHECK_INTERVAL"));
    assertTrue(error("QT_HEALTH_JOURNAL_FAILURES_CRITICAL", "0").contains("QT_HEALTH_JOURNAL_FAILURES_CRITICAL"));
    // a typo would quietly take the policy store's failures down from CRITICAL to DEGRADED
    assertEquals("quantum-trader.health.critical-components (QT_HEALTH_CRITICAL_COMPONENTS): names no component: policy-stor, bogus;"
        + " the components are " + String.join(", ", HealthSettings.COMPONENTS) + ", got 'policy-stor,bogus'",
        error("QT_HEALTH_CRITICAL_COMPONENTS", "policy-stor,bogus"));
    HealthSettings s = HealthSettings.fromConfig(ConfigLoader.load(null, Map.of(
        "QT_HEALTH_CRITICAL_COMPONENTS", "policy-store, market-feed", "QT_HEALTH_FEED_STALE_AFTER", "5m")));
    assertEquals(List.of("policy-store", "market-feed"), s.criticalComponents());
    assertEquals(Duration.ofMinutes(5), s.feedStaleAfter());
  }

  private static String error(String env, String value) {
    try {
      HealthSettings.fromConfig(ConfigLoader.load(null, Map.of(env, value)));
    } catch (SettingsException e) {
      return e.getMessage();
    }
    fail(env + "=" + value + " was accepted");
    return null;
  }
}
