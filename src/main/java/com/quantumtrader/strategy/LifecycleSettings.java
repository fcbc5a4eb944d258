package com.quantumtrader.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The thresholds of {@link LifecycleRules}. Sharpe ratios are annualized; drawdowns are fractions of
 * the peak.
 *
 * @param minTrades promotion: closed shadow trades needed
 * @param minDays promotion: days in shadow needed
 * @param minSharpe promotion: shadow Sharpe at least this
 * @param maxDrawdown promotion: shadow drawdown at most this
 * @param minProfitFactor promotion: shadow profit factor at least this (none without losing trades counts as met)
 * @param incumbentMargin promotion: shadow Sharpe must exceed the incumbent's live Sharpe by this much
 * @param demoteMaxDrawdown demotion: live drawdown above this demotes at once
 * @param decayWindowDays demotion: decay is judged once the live record covers at least this many days
 * @param decayMinTrades demotion: ... and at least this many live trades
 * @param decaySharpeFloor demotion: live Sharpe below this is decay
 * @param decayMaxDrop demotion: live Sharpe more than this below the strategy's shadow Sharpe is decay
 */
public record LifecycleSettings(int minTrades, double minDays, double minSharpe, double maxDrawdown,
    double minProfitFactor, double incumbentMargin, double demoteMaxDrawdown, double decayWindowDays,
    int decayMinTrades, double decaySharpeFloor, double decayMaxDrop) {

  /** What is inconsistent between the thresholds (each value's own range is checked by the reader). */
  public List<String> inconsistencies() {
    List<String> out = new ArrayList<>();
    if (demoteMaxDrawdown < maxDrawdown) {
      out.add("demote-max-drawdown (" + demoteMaxDrawdown + ") must not be below max-drawdown (" + maxDrawdown
          + "): a strategy could be demoted for the drawdown it was promoted with");
    }
    if (decaySharpeFloor > minSharpe) {
      out.add("decay-sharpe-floor (" + decaySharpeFloor + ") must not be above min-sharpe (" + minSharpe
          + "): a strategy could be demoted for the Sharpe it was promoted with");
    }
    return out;
  }
}
