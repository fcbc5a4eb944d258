package com.quantumtrader.market;

/**
 * Checks one symbol's bars in arrival order. Stateful (it remembers the last accepted open time),
 * not thread-safe: one validator per symbol and feed.
 */
public final class BarValidator {
  private long lastOpenTime = Long.MIN_VALUE;

  /** The reason to reject this bar, or null to accept it (and remember its time). */
  public RejectReason check(Bar b) {
    RejectReason r = checkValues(b);
    if (r != null) return r;
    if (b.openTime() == lastOpenTime) return RejectReason.DUPLICATE_TIME;
    if (b.openTime() < lastOpenTime) return RejectReason.OUT_OF_ORDER_TIME;
    lastOpenTime = b.openTime();
    return null;
  }

  /** Checks that need no history. */
  public static RejectReason checkValues(Bar b) {
    if (!Double.isFinite(b.open()) || !Double.isFinite(b.high()) || !Double.isFinite(b.low())
        || !Double.isFinite(b.close()) || !Double.isFinite(b.baseVolume()) || !Double.isFinite(b.quoteVolume())) {
      return RejectReason.NOT_FINITE;
    }
    if (b.open() <= 0 || b.high() <= 0 || b.low() <= 0 || b.close() <= 0) return RejectReason.NON_POSITIVE_PRICE;
    if (b.high() < b.low()) return RejectReason.HIGH_BELOW_LOW;
    if (b.open() < b.low() || b.open() > b.high() || b.close() < b.low() || b.close() > b.high()) {
      return RejectReason.OPEN_OR_CLOSE_OUTSIDE_RANGE;
    }
    if (b.baseVolume() < 0 || b.quoteVolume() < 0 || b.tradeCount() < -1) return RejectReason.NEGATIVE_VOLUME;
    return null;
  }
}
