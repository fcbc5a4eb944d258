package com.quantumtrader.execution;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.Side;

/**
 * A market order the orchestrator sends to the broker. It fills at the open of the symbol's first
 * bar after {@code afterTime} (the bar the decision was made on).
 *
 * @param intent OPEN a new position, or CLOSE the symbol's open position
 * @param quantity for OPEN, the size (> 0); for CLOSE, ignored (the whole position)
 * @param stop protective stop of the new position (NaN for none)
 * @param takeProfit take-profit of the new position (NaN for none)
 * @param afterTime open time (epoch ms) of the bar the decision was made on
 * @param policyVersion the policy version the order was decided under (0: the initial policy, not
 *     yet changed)
 */
public record Order(
    String orderId,
    String strategyId,
    String symbol,
    Side side,
    Intent intent,
    double quantity,
    double stop,
    double takeProfit,
    long afterTime,
    double confidence,
    long policyVersion,
    String reason)
    implements CborSerializable {

  public enum Intent {
    OPEN,
    CLOSE
  }

  /** What is wrong with this order, or null when it is well formed. */
  public String problem() {
    if (orderId == null || orderId.isBlank()) return "order id is missing";
    if (symbol == null || symbol.isBlank()) return "symbol is missing";
    if (side == null || intent == null) return "side and intent are required";
    if (intent == Intent.OPEN) {
      if (!(quantity > 0) || !Double.isFinite(quantity)) return "quantity must be a positive number, got " + quantity;
      if (!Double.isNaN(stop) && !(stop > 0 && Double.isFinite(stop))) return "stop must be a positive price or none";
      if (!Double.isNaN(takeProfit) && !(takeProfit > 0 && Double.isFinite(takeProfit))) {
        return "take-profit must be a positive price or none";
      }
    }
    return null;
  }
}
