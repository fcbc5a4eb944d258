package com.quantumtrader.market;

/** Why a row did not become a bar. */
public enum RejectReason {
  /** Wrong number of columns, a field that is not a number, a time that cannot be read. */
  UNPARSABLE,
  /** A price or volume that is NaN or infinite. */
  NOT_FINITE,
  /** A price that is zero or negative. */
  NON_POSITIVE_PRICE,
  /** High below low. */
  HIGH_BELOW_LOW,
  /** Open or close outside [low, high]. */
  OPEN_OR_CLOSE_OUTSIDE_RANGE,
  /** Negative base or quote volume, or a negative trade count. */
  NEGATIVE_VOLUME,
  /** The same open time as the previous accepted bar of the symbol. */
  DUPLICATE_TIME,
  /** An open time before the previous accepted bar of the symbol. */
  OUT_OF_ORDER_TIME
}
