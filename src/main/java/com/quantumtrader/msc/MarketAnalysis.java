package com.quantumtrader.msc;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.market.EqualWeightIndex;
import com.quantumtrader.ranker.SymbolScore;
import java.time.Instant;
import java.util.Collection;

/**
 * What the Meta Strategy Controller reads from the rankers at one moment.
 *
 * @param symbols symbols with a score
 * @param breadth share of symbols trending up, in [0, 1]
 * @param trendStrength mean absolute trend score (direction × ADX strength), in [0, 1]
 * @param crossSectionalVol mean annualized realized volatility across the symbols
 * @param indexVol annualized realized volatility of the equal-weight index
 * @param indexDrawdown drawdown of the equal-weight index from its peak, in [0, 1]
 * @param marketTime open time of the index's last completed time step, epoch ms (0 if none)
 */
public record MarketAnalysis(
    Instant at, int symbols, double breadth, double trendStrength, double crossSectionalVol, double indexVol,
    double indexDrawdown, long marketTime)
    implements CborSerializable {

  public MarketAnalysis(Instant at, int symbols, double breadth, double trendStrength, double crossSectionalVol,
      double indexVol, double indexDrawdown) {
    this(at, symbols, breadth, trendStrength, crossSectionalVol, indexVol, indexDrawdown, 0);
  }

  /**
   * Builds the analysis from the rankers' latest scores (breadth, trend strength, cross-sectional
   * volatility) and the market feed's equal-weight index (index volatility and drawdown). Symbols
   * whose trend is exactly 0 (not warmed up) count as not trending up. Pure.
   */
  public static MarketAnalysis of(Collection<SymbolScore> scores, EqualWeightIndex.Snapshot index, Instant at) {
    int n = 0, up = 0;
    double strength = 0, vol = 0;
    for (SymbolScore s : scores) {
      if (!Double.isFinite(s.trend()) || !Double.isFinite(s.annualizedVol())) continue;
      n++;
      if (s.trend() > 0) up++;
      strength += Math.abs(s.trend());
      vol += s.annualizedVol();
    }
    return new MarketAnalysis(at, n, n == 0 ? 0.5 : (double) up / n, n == 0 ? 0 : strength / n, n == 0 ? 0 : vol / n,
        index.annualizedVol(), index.drawdown(), index.asOf());
  }
}
