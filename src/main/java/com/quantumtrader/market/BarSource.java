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

  @Override
  void close();
}
