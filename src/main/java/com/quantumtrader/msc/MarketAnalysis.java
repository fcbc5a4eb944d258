package com.quantumtrader.msc;

import com.quantumtrader.common.CborSerializable;
import java.time.Instant;

/**
 * What the Meta Strategy Controller reads from the rankers at one moment.
 *
 * @param symbols symbols with a score
 * @param breadth share of symbols trending up, in [0, 1]
 * @param trendStrength mean absolute trend score (direction × ADX strength), in [0, 1]
 * @param crossSectionalVol mean annualized realized volatility across the symbols
 * @param indexVol annualized realized volatility of the equal-weight index
 * @param indexDrawdown drawdown of the equal-weight index from its peak, in [0, 1]
 */
public record MarketAnalysis(
    Instant at, int symbols, double breadth, double trendStrength, double crossSectionalVol, double indexVol, double indexDrawdown)
    implements CborSerializable {}
