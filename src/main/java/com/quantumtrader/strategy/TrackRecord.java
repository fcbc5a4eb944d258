package com.quantumtrader.strategy;

import com.quantumtrader.common.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strategy's record over some period, as the lifecycle rules read it: from a backtest (in or out of
 * sample), its shadow paper book, or its live trading over a trailing window. The figures are those of
 * {@code analytics.Metrics}.
 *
 * <p>Not validated in the constructor, so that a record persisted under older rules always reads back;
 * {@link #problems()} is checked when a record is reported.
 *
 * @param trades closed trades
 * @param days calendar days covered
 * @param totalReturn final over initial equity, minus 1
 * @param sharpe annualized Sharpe ratio (NaN when undefined, e.g. no variance)
 * @param maxDrawdown largest fall from a peak, a fraction in [0, 1]
 * @param profitFactor gross profit over gross loss (NaN without a losing trade)
 * @param dailySharpe whether {@code sharpe} is of daily returns, as books have reported it since
 *     they kept them; false in a record journaled before, whose Sharpe was of per-trade returns (a
 *     different figure: the decay rule does not compare a live Sharpe with it)
 */
public record TrackRecord(int trades, double days, double totalReturn, double sharpe, double maxDrawdown,
    double profitFactor, boolean dailySharpe) implements CborSerializable {

  /** A record whose Sharpe is of daily returns (a book's now, a backtest's of its per-bar curve). */
  public TrackRecord(int trades, double days, double totalReturn, double sharpe, double maxDrawdown, double profitFactor) {
    this(trades, days, totalReturn, sharpe, maxDrawdown, profitFactor, true);
  }

  /** What makes this record unusable; empty when it is fine. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (trades < 0) p.add("trades must be >= 0, got " + trades);
    if (!(days >= 0) || Double.isInfinite(days)) p.add("days must be a finite number >= 0, got " + days);
    if (!(totalReturn >= -1) || Double.isInfinite(totalReturn)) p.add("totalReturn must be a finite number >= -1, got " + totalReturn);
    if (Double.isInfinite(sharpe)) p.add("sharpe must be finite (or NaN when undefined), got " + sharpe);
    if (!(maxDrawdown >= 0 && maxDrawdown <= 1)) p.add("maxDrawdown must be a fraction in [0, 1], got " + maxDrawdown);
    if (profitFactor < 0 || Double.isInfinite(profitFactor)) p.add("profitFactor must be >= 0 (or NaN without losses), got " + profitFactor);
    return p;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d trades over %.1f days, return %.1f%%, Sharpe %.2f, max drawdown %.1f%%, profit factor %.2f",
        trades, days, totalReturn * 100, sharpe, maxDrawdown * 100, profitFactor);
  }
}
