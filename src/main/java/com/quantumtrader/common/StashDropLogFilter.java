package com.quantumtrader.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Marker;

/**
 * Akka logs a WARN for every command an event-sourced component's full stash drops (see {@link
 * StashLimit}): during a database outage that is thousands of identical lines. This filter lets one
 * through every 10 s, per node, and counts the rest into it.
 */
public final class StashDropLogFilter extends TurboFilter {
  static final String PREFIX = "Stash buffer is full, dropping message";
  private static final long EVERY_MS = 10_000;
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong suppressed = new AtomicLong();

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || level != Level.WARN || !format.startsWith(PREFIX)) return FilterReply.NEUTRAL;
    long now = System.currentTimeMillis(), last = lastLogged.get();
    if (now - last >= EVERY_MS && lastLogged.compareAndSet(last, now)) {
      long n = suppressed.getAndSet(0);
      if (n > 0) logger.warn("(" + n + " more commands dropped by full stashes in the last " + (now - last) / 1000 + " s were not logged)");
      return FilterReply.NEUTRAL;
    }
    suppressed.incrementAndGet();
    return FilterReply.DENY;
  }
}
