package com.quantumtrader.strategy;

import java.util.List;

/**
 * What a backtest produced. Prices and money are doubles; bar indices count from the first bar of
 * the traded range (the {@link BarArrays} view, after any warm-up-only bars).
 *
 * @param trades the closed round trips, in order; a position still open after the last bar is not
 *     among them (it is marked in the equity curve, and listed in {@code openPositions})
 * @param openTime the open time of each bar of the traded range
 * @param equity equity after each bar of the traded range, open positions marked at the close
 * @param openPositions the positions still open after the last bar, in symbol order
 */
public record BacktestResult(String strategyId, String symbol, List<Trade> trades, long[] openTime, double[] equity,
    List<OpenPosition> openPositions, Summary metrics) {

  /** Whether a position was still open after the last bar. */
  public boolean openAtEnd() {
    return !openPositions.isEmpty();
  }

  /**
   * A position still open after the last bar, marked at its symbol's last close: {@code
   * unrealizedPnl} is {@code quantity × (lastClose − entryPrice) − entryFee}, what it adds to the last
   * equity point beyond its cost.
   */
  public record OpenPosition(String symbol, int entryBar, long entryTime, double entryPrice, double quantity, double entryFee,
      double lastClose, double unrealizedPnl) {}

  /** How a position was closed. */
  public enum ExitKind {
    /** At the open after an exit signal. */
    SIGNAL,
    STOP,
    TAKE_PROFIT,
    /**
     * In a portfolio, at the close of a symbol's last bar when the other symbols' bars go on (its
     * data ended: delisted, or a shorter file), with slippage and the fee, so that the position does
     * not hold equity and exposure for the rest of the run.
     */
    END_OF_DATA
  }

  /**
   * One round trip. {@code fees} is the entry fee plus the exit fee; {@code pnl} is after both; {@code
   * stop} and {@code takeProfit} the levels placed at the entry (NaN for none: a template without a
   * take-profit, or protective exits off).
   */
  public record Trade(String symbol, int entryBar, long entryTime, double entryPrice, int exitBar, long exitTime,
      double exitPrice, double quantity, double fees, double pnl, ExitKind exitKind, double stop, double takeProfit) {}

  /**
   * The metrics, computed with {@code analytics.Metrics} over the per-bar equity curve (Sharpe and
   * Sortino annualized with the observed bars per year, see {@link BarArrays#barsPerYear()}) and the
   * closed trades' PnL.
   *
   * @param exposure the share of bars during which a position was open (including one opened at the
   *     bar's open and stopped within it)
   * @param days the calendar days the traded bars span, from the first one's open time to the last
   *     one's (0 in figures journaled before it was kept)
   */
  public record Summary(double totalReturn, double sharpe, double sortino, double maxDrawdown, double winRate,
      double profitFactor, double exposure, int tradeCount, double finalEquity, double days) {}
}
