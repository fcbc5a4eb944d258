package com.quantumtrader.analytics;

import com.quantumtrader.common.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * What analytics knows, from its read-side tables. Money in the quote currency; NaN where a metric
 * is undefined (see {@link Metrics}).
 *
 * @param overall the whole book: return, Sharpe, Sortino and drawdown from the equity marks
 * @param strategies one line per strategy: return and drawdown from the strategy's realized PnL
 *     curve (initial capital + cumulative PnL at each closed trade), Sharpe and Sortino over its
 *     per-trade returns (PnL / initial capital) annualized by its trade frequency, exposure = share
 *     of equity marks at which it held a position
 * @param eventCounts events of each type read from the journal, by event class
 * @param equityCurve the book's equity at each mark, oldest first
 * @param strategyCurves per strategy, initial capital + its cumulative realized PnL after each of
 *     its closed trades (at the trade's exit bar time), oldest first
 */
public record AnalyticsReport(double initialCapital, StrategyMetrics overall, List<StrategyMetrics> strategies,
    Map<String, Long> eventCounts, List<EquityPoint> equityCurve, Map<String, List<CurvePoint>> strategyCurves)
    implements CborSerializable {

  public record CurvePoint(long barTime, double value) implements CborSerializable {}


  public record StrategyMetrics(String strategyId, long trades, long wins, double realizedPnl, double unrealizedPnl,
      double fees, double totalReturn, double sharpe, double sortino, double maxDrawdown, double winRate,
      double profitFactor, double exposure) implements CborSerializable {}

  public record EquityPoint(long barTime, double equity, double cash, double grossExposure, double realizedPnl)
      implements CborSerializable {}

  /** The overall line and each strategy's, as a fixed-width table for logs and the CLI. */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format("%-24s %7s %13s %13s %9s %7s %7s %8s %6s %7s %6s%n",
        "strategy", "trades", "realized", "unrealized", "return", "sharpe", "sortino", "max dd", "win", "pf", "expo"));
    sb.append(line(overall));
    for (StrategyMetrics s : strategies) sb.append(line(s));
    return sb.toString();
  }

  private static String line(StrategyMetrics m) {
    return String.format("%-24s %7d %,13.2f %,13.2f %8s %7s %7s %8s %6s %7s %6s%n", m.strategyId(), m.trades(),
        m.realizedPnl(), m.unrealizedPnl(), pct(m.totalReturn()), num(m.sharpe()), num(m.sortino()), pct(m.maxDrawdown()),
        pct(m.winRate()), num(m.profitFactor()), pct(m.exposure()));
  }

  private static String pct(double x) {
    return Double.isNaN(x) ? "n/a" : String.format("%.1f%%", 100 * x);
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "n/a" : String.format("%.2f", x);
  }
}
