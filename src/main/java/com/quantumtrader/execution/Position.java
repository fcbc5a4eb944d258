package com.quantumtrader.execution;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.Side;

/**
 * An open position of the paper book.
 *
 * @param entryPrice fill price of the entry, slippage included
 * @param entryFee fee paid on entry
 * @param stop protective stop (NaN for none)
 * @param takeProfit take-profit (NaN for none)
 * @param openedAt open time (epoch ms) of the bar whose open filled the entry
 */
public record Position(
    String symbol,
    String strategyId,
    Side side,
    double quantity,
    double entryPrice,
    double entryFee,
    double stop,
    double takeProfit,
    long openedAt,
    String orderId)
    implements CborSerializable {

  /** Signed value at a price: positive long, negative short. */
  public double value(double price) {
    return side == Side.LONG ? quantity * price : -quantity * price;
  }

  public Position withStop(double newStop) {
    return new Position(symbol, strategyId, side, quantity, entryPrice, entryFee, newStop, takeProfit, openedAt, orderId);
  }
}
