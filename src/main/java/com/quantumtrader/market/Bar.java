package com.quantumtrader.market;

import com.quantumtrader.common.CborSerializable;

/**
 * One candle. Prices and volumes are doubles (hot path); shown values are rounded at the edge.
 *
 * @param symbol e.g. BTCUSDT
 * @param interval e.g. 1h, 5m, 1d
 * @param openTime candle open time, epoch milliseconds UTC
 * @param baseVolume volume in the base asset (shares for equities)
 * @param quoteVolume volume in the quote currency; where a source has none it is estimated as
 *     {@code baseVolume * (high + low + close) / 3} (see {@link #quoteVolumeEstimated})
 * @param tradeCount number of trades, or -1 when the source does not say
 * @param quoteVolumeEstimated whether quoteVolume was estimated rather than read
 */
public record Bar(
    String symbol,
    String interval,
    long openTime,
    double open,
    double high,
    double low,
    double close,
    double baseVolume,
    double quoteVolume,
    long tradeCount,
    boolean quoteVolumeEstimated)
    implements CborSerializable {

  /** A bar whose quote volume is estimated from its base volume and typical price. */
  public static Bar of(
      String symbol, String interval, long openTime, double open, double high, double low, double close, double baseVolume) {
    return new Bar(symbol, interval, openTime, open, high, low, close, baseVolume,
        baseVolume * (high + low + close) / 3.0, -1, true);
  }
}
