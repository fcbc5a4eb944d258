package com.quantumtrader.strategy;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.Side;

/**
 * How orders fill against bars: the rules the paper broker and the backtester share. Pure; prices
 * in doubles.
 *
 * <ul>
 *   <li>A market order placed while bar t is the latest fills at bar t+1's open, moved against the
 *       trader by the slippage fraction.
 *   <li>An open position's stop and take-profit are checked against each later bar's low and high.
 *       When both are inside one bar's range the stop is taken first (the bar's path is unknown; the
 *       pessimistic reading). A bar that opens beyond a level fills at the open (a gap), not at the
 *       level.
 *   <li>Stop fills are moved against the trader by the slippage; take-profit fills are limit fills at
 *       the level (or the better open), without slippage.
 *   <li>Every fill pays {@code feeRate} × notional.
 * </ul>
 */
public final class FillRules {
  private FillRules() {}

  /**
   * What every fill pays, for the backtester, the shadow books and the paper book's risk gate alike:
   * {@code feeRate} × notional, and prices moved against the trader by the {@code slippage} fraction.
   */
  public record Costs(double feeRate, double slippage) implements CborSerializable {
    public Costs {
      if (!(feeRate >= 0 && feeRate < 1) || !(slippage >= 0 && slippage < 1)) {
        throw new IllegalArgumentException("fee rate and slippage must be in [0, 1): " + feeRate + ", " + slippage);
      }
    }
  }

  public enum ExitKind {
    STOP,
    TAKE_PROFIT
  }

  /** A fill: at {@code price}, paying {@code fee}. */
  public record Fill(double price, double fee) implements CborSerializable {}

  /** An exit found in a bar. */
  public record Exit(ExitKind kind, double price, double fee) implements CborSerializable {}

  /** The entry fill of a market order at the next bar's open. */
  public static Fill marketEntry(Side side, double quantity, double nextOpen, double slippage, double feeRate) {
    double price = side == Side.LONG ? nextOpen * (1 + slippage) : nextOpen * (1 - slippage);
    return new Fill(price, feeRate * quantity * price);
  }

  /** The exit fill of a market order (e.g. closing on a signal) at the next bar's open. */
  public static Fill marketExit(Side side, double quantity, double nextOpen, double slippage, double feeRate) {
    double price = side == Side.LONG ? nextOpen * (1 - slippage) : nextOpen * (1 + slippage);
    return new Fill(price, feeRate * quantity * price);
  }

  /**
   * The exit this bar triggers for a position, or null if the bar leaves it open.
   *
   * @param stop the stop level (NaN for none)
   * @param takeProfit the take-profit level (NaN for none)
   */
  public static Exit checkExit(Side side, double quantity, double stop, double takeProfit,
      double open, double high, double low, double slippage, double feeRate) {
    boolean hasStop = !Double.isNaN(stop), hasTp = !Double.isNaN(takeProfit);
    if (side == Side.LONG) {
      if (hasStop && low <= stop) {
        double level = Math.min(open, stop); // gapped below: out at the open
        double price = level * (1 - slippage);
        return new Exit(ExitKind.STOP, price, feeRate * quantity * price);
      }
      if (hasTp && high >= takeProfit) {
        double price = Math.max(open, takeProfit);
        return new Exit(ExitKind.TAKE_PROFIT, price, feeRate * quantity * price);
      }
    } else {
      if (hasStop && high >= stop) {
        double level = Math.max(open, stop);
        double price = level * (1 + slippage);
        return new Exit(ExitKind.STOP, price, feeRate * quantity * price);
      }
      if (hasTp && low <= takeProfit) {
        double price = Math.min(open, takeProfit);
        return new Exit(ExitKind.TAKE_PROFIT, price, feeRate * quantity * price);
      }
    }
    return null;
  }

  /** Profit of a round trip after both fees. */
  public static double pnl(Side side, double quantity, Fill entry, double exitPrice, double exitFee) {
    return pnl(side, quantity, entry.price(), entry.fee(), exitPrice, exitFee);
  }

  /** {@link #pnl(Side, double, Fill, double, double)} of an entry given by its price and fee. */
  public static double pnl(Side side, double quantity, double entryPrice, double entryFee, double exitPrice, double exitFee) {
    double gross = side == Side.LONG ? (exitPrice - entryPrice) * quantity : (entryPrice - exitPrice) * quantity;
    return gross - entryFee - exitFee;
  }
}
