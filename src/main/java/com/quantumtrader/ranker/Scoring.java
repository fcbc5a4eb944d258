package com.quantumtrader.ranker;

/** Turns a symbol's indicators into its {@link SymbolScore}. Pure functions. */
public final class Scoring {
  private Scoring() {}

  /** Bars per year for an interval such as 1m, 5m, 1h, 4h, 1d, 1w (24/7 markets). */
  public static double barsPerYear(String interval) {
    return 365.0 * 86_400_000.0 / intervalMillis(interval);
  }

  public static long intervalMillis(String interval) {
    if (interval == null || interval.length() < 2) throw new IllegalArgumentException("bad interval " + interval);
    long n = Long.parseLong(interval.substring(0, interval.length() - 1));
    char unit = interval.charAt(interval.length() - 1);
    long ms = switch (unit) {
      case 's' -> 1_000L;
      case 'm' -> 60_000L;
      case 'h' -> 3_600_000L;
      case 'd' -> 86_400_000L;
      case 'w' -> 7 * 86_400_000L;
      case 'M' -> 30 * 86_400_000L;
      default -> throw new IllegalArgumentException("bad interval " + interval);
    };
    if (n <= 0) throw new IllegalArgumentException("bad interval " + interval);
    return n * ms;
  }

  public static SymbolScore score(String symbol, String interval, Indicators ind, RankingCriteria c) {
    double barsPerYear = barsPerYear(interval);
    double barsPerDay = barsPerYear / 365.0;

    double atr = ind.atr();
    double direction = atr > 0 ? clamp((ind.emaFast() - ind.emaSlow()) / atr, -2, 2) / 2 : 0;
    double strength = Math.min(1.0, ind.adx() / 50.0);
    double trend = direction * strength;

    double annVol = ind.realizedVol() * Math.sqrt(barsPerYear);
    double volatility = clamp(1.0 - Math.abs(annVol - c.targetVolatility()) / c.targetVolatility(), 0, 1);

    double qvPerDay = ind.avgQuoteVolume() * barsPerDay;
    double volumeScale = qvPerDay > 0 ? clamp((Math.log10(qvPerDay) - 5.0) / 4.0, 0, 1) : 0;
    double liquidity = volumeScale * (1.0 - clamp(ind.avgRange() / 0.05, 0, 1));

    double barVol = ind.realizedVol();
    double perf = 0;
    if (barVol > 0) {
      double sum = 0;
      for (int w : Indicators.RETURN_WINDOWS) sum += ind.returnOver(w) / (barVol * Math.sqrt(w));
      perf = Math.tanh(sum / Indicators.RETURN_WINDOWS.length);
    }

    double total = c.trendWeight() * trend + c.volatilityWeight() * volatility + c.liquidityWeight() * liquidity
        + c.performanceWeight() * perf;
    return new SymbolScore(symbol, trend, volatility, liquidity, perf, total, annVol, qvPerDay, ind.bars(), ind.lastOpenTime());
  }

  /** Why the symbol is not ranked, or null when it passes every filter. */
  public static String filteredOut(SymbolScore s, RankingCriteria c) {
    if (s.bars() < c.minBars()) return "warming up (" + s.bars() + " of " + c.minBars() + " bars)";
    if (s.quoteVolumePerDay() < c.minQuoteVolumePerDay()) return "quote volume below minimum";
    if (s.liquidity() < c.minLiquidity()) return "liquidity below minimum";
    if (s.annualizedVol() > c.maxVolatility()) return "volatility above maximum";
    if (!Double.isFinite(s.total())) return "score not finite";
    return null;
  }

  private static double clamp(double x, double lo, double hi) {
    return x < lo ? lo : Math.min(x, hi);
  }
}
