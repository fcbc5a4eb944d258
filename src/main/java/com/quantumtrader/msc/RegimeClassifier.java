package com.quantumtrader.msc;

import com.quantumtrader.common.CborSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a {@link MarketAnalysis} into a {@link Regime} with a confidence in [0.5, 1]: the
 * further the market is past the rule's threshold, the more confident. Pure. Rules, first match:
 *
 * <ol>
 *   <li>CRISIS: index drawdown ≥ {@code crisisDrawdown}, or drawdown ≥ half of it with index
 *       volatility ≥ {@code highVol}
 *   <li>HIGH_VOLATILITY: index volatility ≥ {@code highVol}
 *   <li>TRENDING_UP: breadth ≥ {@code trendBreadth} and trend strength ≥ {@code minTrendStrength}
 *   <li>TRENDING_DOWN: breadth ≤ 1 - {@code trendBreadth} and trend strength ≥ {@code minTrendStrength}
 *   <li>RANGING otherwise
 * </ol>
 */
public final class RegimeClassifier {

  public record Thresholds(double crisisDrawdown, double highVol, double trendBreadth, double minTrendStrength)
      implements CborSerializable {
    public static Thresholds defaults() {
      return new Thresholds(0.15, 0.9, 0.6, 0.2);
    }
  }

  /** A regime, how sure, and why (readable; it becomes part of the policy history). */
  public record Assessment(Regime regime, double confidence, List<String> reasons) implements CborSerializable {
    public Assessment {
      reasons = List.copyOf(reasons);
    }
  }

  private final Thresholds t;

  public RegimeClassifier(Thresholds t) {
    this.t = t;
  }

  public Assessment classify(MarketAnalysis a) {
    List<String> why = new ArrayList<>();
    why.add(String.format("breadth %.0f%%, trend strength %.2f, index vol %.0f%%, drawdown %.1f%%, %d symbols",
        a.breadth() * 100, a.trendStrength(), a.indexVol() * 100, a.indexDrawdown() * 100, a.symbols()));
    if (a.symbols() == 0) {
      why.add("no symbols scored yet");
      return new Assessment(Regime.RANGING, 0.5, why);
    }
    if (a.indexDrawdown() >= t.crisisDrawdown()
        || (a.indexDrawdown() >= t.crisisDrawdown() / 2 && a.indexVol() >= t.highVol())) {
      why.add(String.format("drawdown %.1f%% with volatility %.0f%%: crisis", a.indexDrawdown() * 100, a.indexVol() * 100));
      return new Assessment(Regime.CRISIS, confidence(a.indexDrawdown(), t.crisisDrawdown() / 2), why);
    }
    if (a.indexVol() >= t.highVol()) {
      why.add(String.format("index volatility %.0f%% ≥ %.0f%%", a.indexVol() * 100, t.highVol() * 100));
      return new Assessment(Regime.HIGH_VOLATILITY, confidence(a.indexVol(), t.highVol()), why);
    }
    if (a.trendStrength() >= t.minTrendStrength()) {
      if (a.breadth() >= t.trendBreadth()) {
        why.add(String.format("%.0f%% of symbols trending up", a.breadth() * 100));
        return new Assessment(Regime.TRENDING_UP, Math.min(confidence(a.breadth(), t.trendBreadth()),
            confidence(a.trendStrength(), t.minTrendStrength())), why);
      }
      if (a.breadth() <= 1 - t.trendBreadth()) {
        why.add(String.format("%.0f%% of symbols trending down", (1 - a.breadth()) * 100));
        return new Assessment(Regime.TRENDING_DOWN, Math.min(confidence(1 - a.breadth(), t.trendBreadth()),
            confidence(a.trendStrength(), t.minTrendStrength())), why);
      }
    }
    why.add("no broad trend and volatility normal");
    double margin = Math.min(1 - a.indexVol() / t.highVol(), Math.abs(a.breadth() - 0.5) < 0.1 ? 1 : 0.5);
    return new Assessment(Regime.RANGING, 0.5 + 0.5 * Math.max(0, Math.min(1, margin)), why);
  }

  /** 0.5 at the threshold, rising to 1 at twice the threshold. */
  private static double confidence(double value, double threshold) {
    if (threshold <= 0) return 1;
    return Math.max(0.5, Math.min(1.0, 0.5 + 0.5 * (value - threshold) / threshold));
  }
}
