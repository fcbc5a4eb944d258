package com.quantumtrader.ranker;

import com.quantumtrader.common.CborSerializable;

/**
 * A symbol's score and its parts, computed from its indicators after its latest bar.
 *
 * @param trend direction × strength, in [-1, 1]: (EMA fast - EMA slow) in ATRs (capped at ±2, scaled
 *     to ±1) times ADX/50 (capped at 1)
 * @param volatility how close annualized realized volatility is to the target, in [0, 1]
 * @param liquidity quote volume per day on a log scale (1e5 → 0, 1e9 → 1), reduced by the average
 *     bar range (5 % or more → 0), in [0, 1]
 * @param performance risk-adjusted momentum: tanh of the mean over the return windows of return /
 *     (bar volatility × √window), in [-1, 1]
 * @param total the weighted sum of the four
 * @param annualizedVol realized volatility, annualized from the bar interval
 * @param quoteVolumePerDay average quote volume, per day
 * @param bars bars seen so far
 * @param lastBarTime open time of the latest bar, epoch ms
 */
public record SymbolScore(
    String symbol,
    double trend,
    double volatility,
    double liquidity,
    double performance,
    double total,
    double annualizedVol,
    double quoteVolumePerDay,
    long bars,
    long lastBarTime)
    implements CborSerializable {}
