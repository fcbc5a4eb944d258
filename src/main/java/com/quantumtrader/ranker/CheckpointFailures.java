package com.quantumtrader.ranker;

import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The rankers' failed checkpoints, logged as one line per 10 s for all symbols, with their count,
 * the first few symbols and the last error. While the database is away every symbol's ranker fails
 * its checkpoint and retries: a line each was about 60 lines a minute for 14 symbols, and would be
 * thousands for a node ranking a few hundred.
 */
final class CheckpointFailures {
  static final long EVERY_MS = 10_000;
  private static final int NAMED = 5;

  private final Logger log;
  private final LongSupplier clock;
  private final TreeSet<String> symbols = new TreeSet<>();
  private long failures;
  private long lastLogged = Long.MIN_VALUE / 2;
  private String lastError;

  CheckpointFailures(Logger log, LongSupplier clock) {
    this.log = log;
    this.clock = clock;
  }

  /** One node's rankers share one (their log lines are about the node's database). */
  static final CheckpointFailures NODE = new CheckpointFailures(org.slf4j.LoggerFactory.getLogger(RankerWorker.class),
      System::currentTimeMillis);

  synchronized void note(String symbol, String error) {
    failures++;
    symbols.add(symbol);
    lastError = error;
    if (clock.getAsLong() - lastLogged >= EVERY_MS) flush();
  }

  synchronized void flush() {
    if (failures == 0) return;
    String named = symbols.size() <= NAMED ? String.join(", ", symbols)
        : String.join(", ", symbols.stream().limit(NAMED).toList()) + " and " + (symbols.size() - NAMED) + " more";
    log.warn("rankers: {} checkpoint{} failed since the last such line ({} symbol{}: {}); they are retried; last error: {}", failures,
        failures == 1 ? "" : "s", symbols.size(), symbols.size() == 1 ? "" : "s", named, lastError);
    failures = 0;
    symbols.clear();
    lastLogged = clock.getAsLong();
  }
}
