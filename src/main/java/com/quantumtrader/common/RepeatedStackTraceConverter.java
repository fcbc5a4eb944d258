package com.quantumtrader.common;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A logback stack-trace converter ({@code %qtEx} in logback.xml) that writes a failure's stack trace
 * once a minute per logger and kind of failure, and a one-line reference otherwise. While a database
 * is away every component's restart logs the same exception, 40 to 60 lines each: a 4-minute outage
 * wrote about 3,000 lines a minute, 95 % of them repeated stack traces, burying the few lines that
 * say what is going on. A failure is of the same kind when its exception classes (the cause chain)
 * and the root cause's throwing method are the same; its message may differ (a count, a timeout).
 *
 * <p>The reference names the time the whole trace was logged and the root cause's class and message,
 * so that nothing but the repeated frames is left out.
 */
public final class RepeatedStackTraceConverter extends ThrowableProxyConverter {
  static final long EVERY_MS = 60_000;
  private static final int MAX_KINDS = 1_000;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final Map<String, Long> lastFull = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  public RepeatedStackTraceConverter() {
    this(null);
  }

  /** With a clock for tests; null: each event's own time. */
  RepeatedStackTraceConverter(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null) return CoreConstants.EMPTY_STRING;
    String kind = event.getLoggerName() + '|' + kind(t);
    // the event's own time (logged later by the async appender): the time quoted is the one printed
    long now = clock == null ? event.getTimeStamp() : clock.getAsLong();
    Long last = lastFull.get(kind);
    if (last != null && now - last < EVERY_MS) {
      IThrowableProxy root = root(t);
      return "  (stack trace as logged at " + TIME.format(Instant.ofEpochMilli(last)) + "; root cause " + root.getClassName()
          + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")" + CoreConstants.LINE_SEPARATOR;
    }
    if (lastFull.size() >= MAX_KINDS) lastFull.clear();
    lastFull.put(kind, now);
    return super.convert(event);
  }

  /**
   * The classes of the cause chain and the first frames of the outermost exception (where the
   * failure was reported from) and of the root cause (where it started).
   */
  static String kind(IThrowableProxy t) {
    StringBuilder b = new StringBuilder();
    StackTraceElementProxy[] outer = t.getStackTraceElementProxyArray();
    if (outer != null && outer.length > 0) b.append(outer[0].getSTEAsString()).append('|');
    IThrowableProxy root = t;
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      b.append(t.getClassName()).append('<');
      root = t;
    }
    StackTraceElementProxy[] frames = root.getStackTraceElementProxyArray();
    if (frames != null && frames.length > 0) b.append('@').append(frames[0].getSTEAsString());
    return b.toString();
  }

  private static IThrowableProxy root(IThrowableProxy t) {
    for (int depth = 0; t.getCause() != null && depth < 20; depth++) t = t.getCause();
    return t;
  }
}
