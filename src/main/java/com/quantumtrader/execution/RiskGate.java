package com.quantumtrader.execution;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.strategy.FillRules;
import com.quantumtrader.strategy.PositionSizing;
import com.quantumtrader.strategy.Side;

/**
 * Admits a strategy's entry signal under the global policy and sizes it. Pure; money in doubles.
 *
 * <p>A signal is refused when its strategy or symbol is not permitted, its confidence is below the
 * policy's minimum, the fund already holds the limit of open positions or already holds the symbol,
 * its stop is on the wrong side of the entry, or no size fits the limits, or the exposure room left
 * is a sliver, under {@link PositionSizing#MIN_POSITION} of equity. Otherwise the size is the
 * largest that keeps all of:
 *
 * <ul>
 *   <li>loss if the stop is hit, including fees and slippage on entry and exit, ≤ max risk per trade × equity
 *   <li>gross exposure after the trade, with the entry's fee, ≤ max gross exposure × equity
 * </ul>
 */
public final class RiskGate {
  private RiskGate() {}

  /** An entry signal: go {@code side} on {@code symbol} near {@code entry}, get out at {@code stop}. */
  public record Signal(String strategyId, String symbol, Side side, double confidence, double entry, double stop)
      implements CborSerializable {}

  /** What the fund holds now. */
  public record Book(double equity, int openPositions, double grossExposure, boolean holdsSymbol) implements CborSerializable {}

  /** The outcome: a quantity (> 0) or the reason there is none. */
  public record Admission(boolean admitted, double quantity, double riskAtStop, String reason) implements CborSerializable {
    static Admission refused(String reason) {
      return new Admission(false, 0, 0, reason);
    }
  }

  public static Admission admit(Signal s, GlobalPolicy policy, Book book, FillRules.Costs costs) {
    Limits l = policy.limits();
    if (!policy.permits(s.strategyId())) {
      return Admission.refused(policy.blockedStrategies().contains(s.strategyId())
          ? "strategy " + s.strategyId() + " is blocked" : "strategy " + s.strategyId() + " is not on the allow list");
    }
    if (!policy.permitsSymbol(s.symbol())) return Admission.refused("symbol " + s.symbol() + " is blocked");
    if (!(s.confidence() >= l.minConfidence())) {
      String c = String.format(java.util.Locale.ROOT, "%.2f", s.confidence()), min = String.format(java.util.Locale.ROOT, "%.2f",
          l.minConfidence());
      if (c.equals(min)) { // 0.6499 would read "0.65 below the minimum 0.65"
        c = java.math.BigDecimal.valueOf(s.confidence()).stripTrailingZeros().toPlainString();
        min = java.math.BigDecimal.valueOf(l.minConfidence()).stripTrailingZeros().toPlainString();
      }
      return Admission.refused("confidence " + c + " below the minimum " + min);
    }
    if (book.holdsSymbol()) return Admission.refused("already holding " + s.symbol());
    if (book.openPositions() >= l.maxOpenPositions()) {
      return Admission.refused("open positions at the limit of " + l.maxOpenPositions());
    }
    if (!(book.equity() > 0) || !Double.isFinite(book.equity())) return Admission.refused("no equity");
    if (!(s.entry() > 0) || !(s.stop() > 0) || !Double.isFinite(s.entry()) || !Double.isFinite(s.stop())) {
      return Admission.refused("entry and stop must be positive prices");
    }
    double stopDistance = s.side() == Side.LONG ? s.entry() - s.stop() : s.stop() - s.entry();
    if (!(stopDistance > 0)) return Admission.refused("stop is not on the losing side of the entry");

    // Worst case per unit: the entry fills worse by slippage, the stop fills worse by slippage, and
    // both sides pay the fee on their notional (the backtester sizes with the same helpers).
    double fillIn = PositionSizing.entryFill(s.side(), s.entry(), costs.slippage());
    double lossPerUnit = PositionSizing.lossPerUnit(s.side(), s.entry(), s.stop(), costs.feeRate(), costs.slippage());
    double byRisk = PositionSizing.byRisk(l.maxRiskPerTrade(), book.equity(), lossPerUnit);
    double byExposure = PositionSizing.byExposure(l.maxGrossExposure(), book.equity(), book.grossExposure(), fillIn, costs.feeRate());
    double qty = PositionSizing.quantity(byRisk, byExposure);
    if (!(qty > 0)) return Admission.refused("gross exposure at the limit of " + l.maxGrossExposure() + " × equity");
    if (PositionSizing.sliverOfRoom(byRisk, byExposure, fillIn, book.equity())) {
      return Admission.refused(String.format(java.util.Locale.ROOT,
          "position of %.2f (the room left under the gross-exposure limit) under the minimum of %s of equity", qty * fillIn,
          java.math.BigDecimal.valueOf(PositionSizing.MIN_POSITION * 100).stripTrailingZeros().toPlainString() + " %"));
    }
    return new Admission(true, qty, qty * lossPerUnit,
        byRisk <= byExposure ? "sized by risk per trade" : "sized by gross exposure");
  }
}
