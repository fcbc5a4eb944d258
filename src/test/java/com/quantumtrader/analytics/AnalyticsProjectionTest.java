package com.quantumtrader.analytics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.quantumtrader.app.Settings;
import com.quantumtrader.common.JdbcTarget;
import com.quantumtrader.execution.Order;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.SyntheticMarket;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/**
 * The analytics projection follows the journal into its tables, is stopped in the middle and
 * started again, and ends with totals equal to those computed straight from the journal: nothing
 * missed, nothing counted twice.
 */
public class AnalyticsProjectionTest {
  private static final Duration T = Duration.ofSeconds(20);
  private static final Duration MARK = Duration.ofHours(1);

  @Test
  public void restartInTheMiddleOnH2() throws Exception {
    run(TestNodes.h2(Files.createTempDirectory("qt-analytics-"), Map.of()));
  }

  @Test
  public void restartInTheMiddleOnPostgres() throws Exception {
    run(TestNodes.postgres(PostgresServer.get().newDatabase(), Map.of()));
  }

  static JdbcTarget target(Config c) {
    Settings s = Settings.load(c);
    return new JdbcTarget(s.db().jdbcUrl(s.node().dataDir()), s.db().effectiveUser(), s.db().password(),
        s.db().kind() == Settings.DbKind.POSTGRES);
  }

  private void run(Config config) throws Exception {
    ActorTestKit kit = ActorTestKit.create("QuantumTrader", config);
    try {
      AnalyticsProjection.Settings settings = new AnalyticsProjection.Settings(target(config), List.of(PaperBroker.TAG), MARK, 7);
      ActorRef<PaperBroker.Command> broker = kit.spawn(PaperBroker.create(
          new PaperBroker.Settings(50_000, 0.001, 0.0005, MARK, Duration.ofMinutes(10)), "broker-analytics"));
      SyntheticMarket m = new SyntheticMarket(11, 5, "1h", 0, 300);
      List<Bar> bars = new java.util.ArrayList<>();
      for (Bar b; (b = m.next()) != null; ) bars.add(b);

      ActorRef<AnalyticsProjection.Command> first = kit.spawn(AnalyticsProjection.create(settings));
      trade(kit, broker, bars.subList(0, bars.size() / 2), 0);
      // Stop the projection once it has applied some but (with groups of 7) not all of it.
      kit.createTestProbe().awaitAssert(T, () -> {
        assertTrue(progress(kit, first).applied().get(PaperBroker.TAG) > 0);
        return null;
      });
      kit.stop(first);
      trade(kit, broker, bars.subList(bars.size() / 2, bars.size()), bars.size() / 2);

      ActorRef<AnalyticsProjection.Command> second = kit.spawn(AnalyticsProjection.create(settings));
      Expected expected = fromJournal(kit);
      assertTrue("the run must trade", expected.trades > 10);
      kit.createTestProbe().awaitAssert(T, () -> {
        assertEquals(expected.lastOffset, (long) progress(kit, second).offsets().get(PaperBroker.TAG));
        return null;
      });
      TestProbe<AnalyticsProjection.ReportReply> r = kit.createTestProbe();
      second.tell(new AnalyticsProjection.GetReport(null, r.getRef()));
      AnalyticsProjection.ReportReply reply = r.receiveMessage(T);
      assertNull(reply.error());
      AnalyticsReport report = reply.report();
      assertEquals(expected.counts, report.eventCounts());
      assertEquals(expected.trades, report.overall().trades());
      assertEquals(expected.pnl, report.overall().realizedPnl(), 1e-6);
      assertEquals(expected.marks, report.equityCurve().size());
      assertEquals(50_000, report.initialCapital(), 0);
      PaperBroker.PortfolioView v = portfolio(kit, broker);
      assertEquals(v.realizedPnl(), report.overall().realizedPnl(), 1e-6);
      assertEquals(v.closedTrades(), report.overall().trades());
      long perStrategy = report.strategies().stream().mapToLong(AnalyticsReport.StrategyMetrics::trades).sum();
      assertEquals(expected.trades, perStrategy);
      for (AnalyticsReport.StrategyMetrics sm : report.strategies()) {
        List<AnalyticsReport.CurvePoint> c = report.strategyCurves().get(sm.strategyId());
        assertEquals(sm.trades(), c.size());
        assertEquals(50_000 + sm.realizedPnl(), c.get(c.size() - 1).value(), 1e-6);
      }
      System.out.println(report.table());
    } finally {
      kit.shutdownTestKit();
    }
  }

  record Expected(Map<String, Long> counts, long trades, double pnl, long marks, long lastOffset) {}

  static Expected fromJournal(ActorTestKit kit) throws Exception {
    JdbcReadJournal j = PersistenceQuery.get(Adapter.toClassic(kit.system()))
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    List<EventEnvelope> all = j.currentEventsByTag(PaperBroker.TAG, Offset.noOffset())
        .runWith(Sink.seq(), kit.system()).toCompletableFuture().get();
    Map<String, Long> counts = new TreeMap<>();
    long trades = 0, marks = 0, last = 0;
    double pnl = 0;
    for (EventEnvelope e : all) {
      counts.merge(e.event().getClass().getSimpleName(), 1L, Long::sum);
      if (e.event() instanceof PaperBroker.PositionClosed c) {
        trades++;
        pnl += c.pnl();
      }
      if (e.event() instanceof PaperBroker.EquityMarked) marks++;
      last = ((akka.persistence.query.Sequence) e.offset()).value();
    }
    return new Expected(counts, trades, pnl, marks, last);
  }

  static AnalyticsProjection.Progress progress(ActorTestKit kit, ActorRef<AnalyticsProjection.Command> p) {
    TestProbe<AnalyticsProjection.Progress> r = kit.createTestProbe();
    p.tell(new AnalyticsProjection.GetProgress(r.getRef()));
    return r.receiveMessage(T);
  }

  private static PaperBroker.PortfolioView portfolio(ActorTestKit kit, ActorRef<PaperBroker.Command> b) {
    TestProbe<PaperBroker.PortfolioView> r = kit.createTestProbe();
    b.tell(new PaperBroker.GetPortfolio(r.getRef()));
    return r.receiveMessage(T);
  }

  /** Feeds bars and opens a position (two strategies, alternating) every 13th bar where none is held. */
  static void trade(ActorTestKit kit, ActorRef<PaperBroker.Command> b, List<Bar> bars, int base) {
    TestProbe<PaperBroker.BarsApplied> ack = kit.createTestProbe();
    TestProbe<PaperBroker.OrderReply> or = kit.createTestProbe();
    for (int i = 0; i < bars.size(); i++) {
      Bar x = bars.get(i);
      b.tell(new PaperBroker.Bars(x.symbol(), "1h", new long[] {x.openTime()}, new double[] {x.open()},
          new double[] {x.high()}, new double[] {x.low()}, new double[] {x.close()}, i, ack.getRef()));
      ack.receiveMessage(T);
      if ((base + i) % 13 == 0) {
        b.tell(new PaperBroker.PlaceOrder(new Order("a" + (base + i), (base + i) % 2 == 0 ? "even" : "odd", x.symbol(), Side.LONG,
            Order.Intent.OPEN, 500 / x.close(), x.close() * 0.99, x.close() * 1.015, x.openTime(), 0.9, 1, "test"), or.getRef()));
        or.receiveMessage(T);
      }
    }
  }
}
