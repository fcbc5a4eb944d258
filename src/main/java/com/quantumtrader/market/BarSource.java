package com.quantumtrader.market;

import java.util.List;

/** A source of valid bars in time order (pull-based, single consumer). */
public interface BarSource extends AutoCloseable {
  /** The next bar, or null when the source is exhausted. */
  Bar next();

  /** The symbols this source produces (may grow for live sources). */
  List<String> symbols();

  /** Rows rejected so far, per symbol and reason. */
  RejectCounts rejects();

  /** Files this source left out because it could not read them, by name, with why (empty for most sources). */
  default java.util.Map<String, String> leftOut() {
    return java.util.Map.of();
  }

  @Override
  void close();
}
