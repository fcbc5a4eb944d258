package com.quantumtrader.policy;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * The numeric limits of the global policy.
 *
 * @param minConfidence signals whose confidence is below this are refused, in [0, 1]
 * @param maxRiskPerTrade the loss to a position's stop, as a fraction of equity, in (0, 0.1]
 * @param maxOpenPositions positions open at once, in [0, 1000]
 * @param maxGrossExposure sum of |position value| divided by equity, in [0, 10]
 */
public record Limits(
    double minConfidence, double maxRiskPerTrade, int maxOpenPositions, double maxGrossExposure)
    implements CborSerializable {

  public static final double MAX_RISK_PER_TRADE = 0.10;
  public static final int MAX_OPEN_POSITIONS = 1000;
  public static final double MAX_GROSS_EXPOSURE = 10.0;

  /** Every bound this set of limits breaks, as readable sentences; empty when valid. */
  public List<String> violations() {
    List<String> out = new ArrayList<>();
    if (!(minConfidence >= 0.0 && minConfidence <= 1.0)) {
      out.add("min confidence must be in [0, 1], got " + Numbers.typed(minConfidence));
    }
    if (!(maxRiskPerTrade > 0.0 && maxRiskPerTrade <= MAX_RISK_PER_TRADE)) {
      out.add("max risk per trade must be in (0, " + Numbers.typed(MAX_RISK_PER_TRADE) + "], got " + Numbers.typed(maxRiskPerTrade));
    }
    if (maxOpenPositions < 0 || maxOpenPositions > MAX_OPEN_POSITIONS) {
      out.add("max open positions must be in [0, " + MAX_OPEN_POSITIONS + "], got " + maxOpenPositions);
    }
    if (!(maxGrossExposure >= 0.0 && maxGrossExposure <= MAX_GROSS_EXPOSURE)) {
      out.add("max gross exposure must be in [0, " + Numbers.typed(MAX_GROSS_EXPOSURE) + "], got " + Numbers.typed(maxGrossExposure));
    }
    return out;
  }

  /** This set with the given fields replaced; a null argument keeps the current value. */
  public Limits with(
      Double minConfidence, Double maxRiskPerTrade, Integer maxOpenPositions, Double maxGrossExposure) {
    return new Limits(
        minConfidence != null ? minConfidence : this.minConfidence,
        maxRiskPerTrade != null ? maxRiskPerTrade : this.maxRiskPerTrade,
        maxOpenPositions != null ? maxOpenPositions : this.maxOpenPositions,
        maxGrossExposure != null ? maxGrossExposure : this.maxGrossExposure);
  }
}
