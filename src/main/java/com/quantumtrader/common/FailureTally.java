package com.quantumtrader.common;

import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What one throttled WARN line sums up: the failures since the last such line, the symbols they
 * were of, the last error, and whether the next line is due (at most one every {@code everyMs}).
 * While the database is away every symbol's part fails and retries; a line per failure buried the
 * lines that matter. Its owner says what failed and synchronizes.
 */
public final class FailureTally {
  private final long everyMs;
  private final LongSupplier clock;
  private final TreeSet<String> symbols = new TreeSet<>();
  private long count;
  private String lastError;
  private long lastLogged = Long.MIN_VALUE / 2;

  public FailureTally(long everyMs, LongSupplier clock) {
    this.everyMs = everyMs;
    this.clock = clock;
  }

  public void note(String symbol, String error) {
    count++;
    symbols.add(symbol);
    lastError = error;
  }

  /** Whether {@code everyMs} have passed since the last line. */
  public boolean due() {
    return clock.getAsLong() - lastLogged >= everyMs;
  }

  /** Failures since the last line. */
  public long count() {
    return count;
  }

  public int symbolCount() {
    return symbols.size();
  }

  /** The symbols in order, {@link Names#few shortened} when many. */
  public String symbols() {
    return Names.few(List.copyOf(symbols));
  }

  public String lastError() {
    return lastError;
  }

  /** A line was written: count again from nothing. */
  public void logged() {
    count = 0;
    symbols.clear();
    lastLogged = clock.getAsLong();
  }
}
