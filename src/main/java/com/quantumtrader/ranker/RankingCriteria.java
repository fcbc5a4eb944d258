package com.quantumtrader.ranker;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.typesafe.config.Config;

/**
 * Weights of the score's parts and the filters a symbol must pass to be ranked
 * (quantum-trader.opportunity-ranker.criteria).
 *
 * @param targetVolatility annualized volatility that scores best (1.0 = 100 %/year)
 * @param minQuoteVolumePerDay symbols trading less are not ranked
 * @param minLiquidity symbols whose liquidity part is lower are not ranked
 * @param maxVolatility symbols whose annualized volatility is higher are not ranked
 * @param minBars symbols with fewer bars are still warming up and not ranked
 */
public record RankingCriteria(
    double trendWeight,
    double volatilityWeight,
    double liquidityWeight,
    double performanceWeight,
    double targetVolatility,
    double minQuoteVolumePerDay,
    double minLiquidity,
    double maxVolatility,
    int minBars)
    implements CborSerializable {

  public static RankingCriteria defaults() {
    return new RankingCriteria(0.35, 0.15, 0.20, 0.30, 0.6, 1_000_000, 0.1, 3.0, 50);
  }

  public static RankingCriteria fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.opportunity-ranker.criteria");
    RankingCriteria c = new RankingCriteria(
        r.doubleIn("trend-weight", "QT_OPP_RANKER_TREND_WEIGHT", 0, 1, false),
        r.doubleIn("volatility-weight", "QT_OPP_RANKER_VOLATILITY_WEIGHT", 0, 1, false),
        r.doubleIn("liquidity-weight", "QT_OPP_RANKER_LIQUIDITY_WEIGHT", 0, 1, false),
        r.doubleIn("performance-weight", "QT_OPP_RANKER_PERFORMANCE_WEIGHT", 0, 1, false),
        r.doubleIn("target-volatility", "QT_OPP_RANKER_TARGET_VOLATILITY", 0, 100, true),
        r.doubleIn("min-quote-volume-per-day", "QT_OPP_RANKER_MIN_QUOTE_VOLUME", 0, 1e15, false),
        r.doubleIn("min-liquidity", "QT_OPP_RANKER_MIN_LIQUIDITY", 0, 1, false),
        r.doubleIn("max-volatility", "QT_OPP_RANKER_MAX_VOLATILITY", 0, 100, true),
        r.intIn("min-bars", "QT_OPP_RANKER_MIN_BARS", 1, 100_000));
    double sum = c.trendWeight + c.volatilityWeight + c.liquidityWeight + c.performanceWeight;
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new SettingsException("quantum-trader.opportunity-ranker.criteria: the four weights must add up to 1, they add up to " + sum);
    }
    return c;
  }
}
