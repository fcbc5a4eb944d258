package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * An order was filled.
 *
 * @param side BUY or SELL
 * @param quantity filled quantity in the base asset, always positive
 * @param price fill price including slippage
 * @param fee fee paid, in the quote currency
 */
public record TradeExecuted(
    String tradeId,
    String orderId,
    String strategyId,
    String symbol,
    String side,
    double quantity,
    double price,
    double fee,
    Instant filledAt)
    implements EventPayload {
  @JsonIgnore
  @Override
  public EventType type() {
    return EventType.TRADE_EXECUTED;
  }
}
