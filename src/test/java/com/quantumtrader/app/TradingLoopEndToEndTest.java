package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.quantumtrader.analytics.AnalyticsProjection;
import com.quantumtrader.analytics.AnalyticsReport;
import com.quantumtrader.execution.Order;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.msc.MetaStrategyController;
import com.quantumtrader.msc.Regime;
import com.quantumtrader.policy.PolicyHistory;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.Test;

/**
 * The whole trading loop on one node with a PostgreSQL journal, on a synthetic market with a
 * planted crash: the rankers score, the orchestrator trades on paper inside the policy, MSC sees the
 * crash within a bounded number of bars and sets DEFENSIVE through the Policy Store as MSC_AI with
 * its analysis as the reason, nothing new is opened under DEFENSIVE, and analytics accounts for
 * every trade, including those taken before the crash.
 */
public class TradingLoopEndToEndTest {
  private static final Duration T = Duration.ofSeconds(20);
  private static final int SYMBOLS = 20, STEPS = 700, CRASH_AT = 500;
  private static final long HOUR = 3_600_000L;
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  /** The bound on how late MSC may see the crash, in time steps (bars per symbol) after it starts. */
  private static final int MAX_STEPS_TO_DEFENSIVE = 36;

  @Test
  public void aPlantedCrashTurnsTheFundDefensiveAndAnalyticsAccountsForEveryTrade() throws Exception {
    String url = PostgresServer.get().newDatabase();
    Map<String, String> env = new HashMap<>();
    env.put("QT_DB_URL", url);
    env.put("QT_DB_USER", PostgresServer.get().user());
    env.put("QT_DATA_DIR", Files.createTempDirectory("qt-e2e-").toString());
    env.put("QT_MARKET_FEED", "synthetic");
    env.put("QT_MARKET_SYNTHETIC_SYMBOLS", String.valueOf(SYMBOLS));
    env.put("QT_MARKET_SYNTHETIC_STEPS", String.valueOf(STEPS));
    env.put("QT_MARKET_SYNTHETIC_CRASH_AT_STEP", String.valueOf(CRASH_AT));
    env.put("QT_MARKET_SPEED", String.valueOf(60 * 3600)); // 60 time steps per second
    env.put("QT_MSC_UPDATE_INTERVAL", "200ms");
    env.put("QT_MSC_MIN_DWELL", "0s");
    env.put("QT_OPP_RANKER_UPDATE_INTERVAL", "200ms");
    env.put("QT_EXECUTION_SUMMARY_INTERVAL", "5s");
    ActorSystem<Guardian.Command> node = Node.start(TestNodes.forNode(env));
    try {
      Guardian.Components c = ask(node, node, Guardian.GetComponents::new);
      MarketFeed.Status feed;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      do {
        Thread.sleep(250); // the feed's own pace; there is no event for "completed"
        feed = ask(node, c.marketFeed(), MarketFeed.GetStatus::new);
      } while (feed.state().equals("RUNNING") && System.nanoTime() < deadline);
      assertEquals("COMPLETED", feed.state());
      assertEquals((long) SYMBOLS * STEPS, feed.barsDelivered());

      long crashStart = START.toEpochMilli() + CRASH_AT * HOUR;
      JdbcReadJournal journal = PersistenceQuery.get(Adapter.toClassic(node))
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());

      // 1. MSC saw the crash within the bound and switched to DEFENSIVE as an emergency.
      MetaStrategyController.Evaluated found = null;
      for (EventEnvelope e : events(node, journal, MetaStrategyController.PERSISTENCE_ID)) {
        if (e.event() instanceof MetaStrategyController.Evaluated ev && ev.changed() && ev.mode() == RiskMode.DEFENSIVE
            && ev.analysis().marketTime() >= crashStart) {
          found = ev;
          break;
        }
      }
      assertNotNull("MSC never switched to DEFENSIVE after the crash", found);
      MetaStrategyController.Evaluated switched = found;
      long stepsLate = (switched.analysis().marketTime() - crashStart) / HOUR;
      System.out.println("MSC switched to DEFENSIVE " + stepsLate + " time steps (bars per symbol) after the crash began: "
          + switched.reason());
      assertTrue("switched " + stepsLate + " steps after the crash", stepsLate <= MAX_STEPS_TO_DEFENSIVE);
      assertEquals(Regime.CRISIS, switched.assessment().regime());
      assertTrue(switched.emergency());

      // 2. The policy history shows the change, made by MSC_AI with the analysis as its reason.
      PolicyHistory.Page page = new PolicyHistory(node).page(PolicyHistory.Query.newest(1000)).toCompletableFuture().get();
      PolicyHistory.Entry change = page.entries().stream()
          .filter(en -> en.changedBy().equals("MSC_AI") && en.reason().equals(switched.reason()))
          .findFirst().orElse(null);
      assertNotNull("no policy change by MSC_AI with the decision's reason in " + page.entries(), change);
      assertTrue(change.reason(), change.reason().contains("crisis") && change.reason().contains("drawdown"));
      assertTrue(change.change(), change.change().contains("DEFENSIVE"));

      // 3. No order was opened under a DEFENSIVE policy version.
      Map<Long, RiskMode> modeAt = new HashMap<>();
      RiskMode mode = null;
      for (EventEnvelope e : events(node, journal, PolicyStore.PERSISTENCE_ID.id())) {
        if (e.event() instanceof PolicyStore.PolicyInitialized i) mode = i.policy().riskMode();
        if (e.event() instanceof PolicyStore.RiskModeChanged r) mode = r.mode();
        modeAt.put(e.sequenceNr(), mode);
      }
      int opensBefore = 0, opensUnderDefensive = 0, closedBeforeCrash = 0, closed = 0;
      double pnl = 0;
      for (EventEnvelope e : events(node, journal, PaperBroker.PERSISTENCE_ID)) {
        if (e.event() instanceof PaperBroker.OrderPlaced p && p.order().intent() == Order.Intent.OPEN) {
          if (modeAt.get(p.order().policyVersion()) == RiskMode.DEFENSIVE) opensUnderDefensive++;
          if (p.order().afterTime() < crashStart) opensBefore++;
        }
        if (e.event() instanceof PaperBroker.PositionClosed pc) {
          closed++;
          pnl += pc.pnl();
          if (pc.barTime() < crashStart) closedBeforeCrash++;
        }
      }
      assertTrue("the fund must have traded before the crash", opensBefore > 0 && closedBeforeCrash > 0);
      assertEquals("orders opened under a DEFENSIVE policy", 0, opensUnderDefensive);

      // 4. Analytics has every trade (those before the crash included), as the journal has them.
      final int closedTrades = closed;
      final double realized = pnl;
      AnalyticsReport[] report = new AnalyticsReport[1];
      long until = System.nanoTime() + T.toNanos();
      while (true) {
        AnalyticsProjection.ReportReply r = ask(node, c.analytics(), rt -> new AnalyticsProjection.GetReport(null, rt));
        assertNull(r.error());
        report[0] = r.report();
        if (report[0].overall().trades() == closedTrades || System.nanoTime() > until) break;
        Thread.sleep(200); // the projection polls the journal every 250 ms
      }
      assertEquals(closedTrades, report[0].overall().trades());
      assertEquals(realized, report[0].overall().realizedPnl(), 1e-6);
      PaperBroker.PortfolioView book = ask(node, c.broker(), PaperBroker.GetPortfolio::new);
      assertEquals(book.realizedPnl(), report[0].overall().realizedPnl(), 1e-6);
      assertTrue(report[0].eventCounts().getOrDefault("RiskModeChanged", 0L) >= 1);
      System.out.println("end-to-end: " + closedTrades + " trades (" + closedBeforeCrash + " closed before the crash), "
          + opensBefore + " opened before it\n" + report[0].table());
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private static List<EventEnvelope> events(ActorSystem<?> s, JdbcReadJournal j, String pid) throws Exception {
    return j.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE).runWith(Sink.seq(), s).toCompletableFuture().get();
  }

  private static <Q, R> R ask(ActorSystem<?> s, akka.actor.typed.RecipientRef<Q> to, Function<akka.actor.typed.ActorRef<R>, Q> m)
      throws Exception {
    return AskPattern.ask(to, m::apply, T, s.scheduler()).toCompletableFuture().get();
  }
}
