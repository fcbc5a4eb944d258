package com.quantumtrader.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.quantumtrader.analytics.AnalyticsProjection;
import com.quantumtrader.analytics.AnalyticsReport;
import com.quantumtrader.execution.Orchestrator;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.msc.MetaStrategyController;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code run --until-end-of-data}: waits until a finite feed has delivered its last bar (and the
 * book has applied it), lets analytics catch up with the journal, and writes the run's summary
 * report.
 */
final class EndOfDataReport {
  private EndOfDataReport() {}

  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * The run's report, and why the run did not trade all of its data when it did not: the feed stopped
   * FAILED (no file it could read), or left out files it could not read; {@code run} says so in its
   * exit status.
   */
  record Report(String text, String feedError) {}

  static Report await(ActorSystem<Guardian.Command> system, Duration timeout) throws InterruptedException {
    Guardian.Components c = ask(system, system, Guardian.GetComponents::new, timeout);
    if (c.marketFeed() == null) return new Report("no market feed runs on this node (QT_MARKET_ENABLED=false): nothing to wait for", null);
    MarketFeed.Status feed;
    while (true) {
      feed = ask(system, c.marketFeed(), MarketFeed.GetStatus::new, timeout);
      if (!feed.state().equals("RUNNING")) break;
      Thread.sleep(POLL.toMillis());
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("%n==== Quantum Trader run report ====%n"));
    out.append(String.format("market feed %s: %s, %,d bars delivered, %,d not delivered, %,d rows rejected %s%s%n", feed.feed(),
        feed.state(), feed.barsDelivered(), feed.barsUndelivered(), feed.rejected(), feed.rejected() > 0 ? feed.rejectedBySymbol() : "",
        feed.possibleBadTicksTotal() == 0 ? "" : String.format("%n  possible bad ticks (delivered as they came, named in the log): %s",
            new java.util.TreeMap<>(feed.possibleBadTicks()))));
    if (feed.error() != null) out.append("feed error: ").append(feed.error()).append('\n');

    if (c.msc() != null) {
      MetaStrategyController.Status s = ask(system, c.msc(), MetaStrategyController.GetStatus::new, timeout);
      out.append(String.format("MSC: risk mode %s %s; regime %s; %d evaluations%n", s.mode(),
          s.since().equals(java.time.Instant.EPOCH) ? "(never changed by MSC)" : "since " + s.since(),
          s.assessment() == null ? "not assessed yet" : s.assessment().regime() + String.format(" (confidence %.2f)", s.assessment().confidence()),
          s.evaluations()));
    }
    PaperBroker.PortfolioView p = null;
    if (c.broker() != null) {
      p = ask(system, c.broker(), PaperBroker.GetPortfolio::new, timeout);
      if (p.initialCapital() == 0 && p.fills() == 0) {
        // the book is funded with the first bars it gets (its capital then a journaled deposit)
        out.append(String.format("portfolio (%s): no bar reached the book; nothing was traded%n", p.gateway()));
      } else out.append(String.format("portfolio (%s): equity %,.2f from %,.2f (%+.2f%%), cash %,.2f, realized PnL %,.2f, unrealized PnL %,.2f,"
              + " fees %,.2f, %d fills, %d closed trades, %d open positions%n", p.gateway(), p.equity(), p.initialCapital(),
          100 * (p.equity() / p.initialCapital() - 1), p.cash(), p.realizedPnl(), p.unrealizedPnl(), p.feesPaid(), p.fills(),
          p.closedTrades(), p.positions().size()));
    }
    if (c.orchestrator() != null) {
      Orchestrator.Status o = ask(system, c.orchestrator(), Orchestrator.GetStatus::new, timeout);
      out.append(String.format("orchestrator: %d orders placed, %d refused by the broker; decisions:%n", o.ordersPlaced(),
          o.ordersRefusedByBroker()));
      for (Map.Entry<String, Long> d : o.decisions().entrySet()) {
        out.append(String.format("  %,10d  %s%n", d.getValue(), d.getKey()));
      }
    }
    if (c.analytics() != null) {
      AnalyticsReport r = caughtUp(system, c.analytics(), p, timeout);
      if (r == null) {
        out.append("analytics: not caught up with the journal within the wait; see the API later\n");
      } else {
        out.append(String.format("analytics (%d equity marks; events read: %s):%n", r.equityCurve().size(), r.eventCounts()));
        out.append(r.table());
      }
    }
    // FAILED, or files it could not read left out while the others went on: the run did not trade all of its data
    String incomplete = feed.state().equals("FAILED") ? "the market feed failed: " + (feed.error() == null ? "no error given" : feed.error())
        : feed.error() != null ? "the market feed " + feed.error() : null;
    return new Report(out.toString(), incomplete);
  }

  /** The report once analytics has counted every closed trade of the book (or null after a minute). */
  private static AnalyticsReport caughtUp(ActorSystem<?> system, ActorRef<AnalyticsProjection.Command> analytics,
      PaperBroker.PortfolioView p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    AnalyticsReport last = null;
    int stable = 0;
    while (System.nanoTime() < deadline) {
      AnalyticsProjection.ReportReply rr = ask(system, analytics, rt -> new AnalyticsProjection.GetReport(null, rt), timeout);
      AnalyticsReport r = rr.report();
      if (r != null && (p == null || r.overall().trades() == p.closedTrades())) {
        // and the equity curve has stopped growing (the last marks are in)
        stable = last != null && last.equityCurve().size() == r.equityCurve().size() ? stable + 1 : 0;
        if (stable >= 3) return r;
      }
      last = r;
      Thread.sleep(POLL.toMillis());
    }
    return null;
  }

  private static <Q, R> R ask(ActorSystem<?> system, akka.actor.typed.RecipientRef<Q> to, Function<ActorRef<R>, Q> msg, Duration timeout) {
    return AskPattern.ask(to, msg::apply, timeout, system.scheduler()).toCompletableFuture().join();
  }
}
