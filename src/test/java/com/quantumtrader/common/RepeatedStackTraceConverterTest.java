package com.quantumtrader.common;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Before;
import org.junit.Test;
import org.slf4j.LoggerFactory;

public class RepeatedStackTraceConverterTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private RepeatedStackTraceConverter converter;

  @Before
  public void setUp() {
    converter = new RepeatedStackTraceConverter(now::get);
    converter.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    converter.start();
  }

  private String line(String logger, Throwable t) {
    Logger l = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger);
    return converter.convert(new LoggingEvent(getClass().getName(), l, Level.ERROR, "Supervisor saw failure", t, null));
  }

  /** The same failure from the same place, as a restarting component throws it again and again. */
  private static Throwable recoveryFailure(String message) {
    return new IllegalStateException("Exception during recovery", outage(message));
  }

  private static SQLTransientConnectionException outage(String message) {
    return new SQLTransientConnectionException(message);
  }

  @Test
  public void aRepeatedFailureIsWrittenInFullOnceAMinuteAndReferencedInBetween() {
    String first = line("broker", recoveryFailure("Connection is not available, request timed out after 5000ms."));
    assertTrue(first, first.contains("Caused by: java.sql.SQLTransientConnectionException"));
    assertTrue(first, first.split("\n").length > 5);

    now.addAndGet(59_999);
    String again = line("broker", recoveryFailure("Connection is not available, request timed out after 5001ms."));
    assertEquals(1, again.split("\n").length);
    assertTrue(again, again.contains("stack trace as logged at "));
    assertTrue(again, again.contains("root cause java.sql.SQLTransientConnectionException: Connection is not available, request timed out after 5001ms."));

    now.addAndGet(1);
    String minuteLater = line("broker", recoveryFailure("Connection is not available"));
    assertTrue(minuteLater, minuteLater.contains("Caused by: java.sql.SQLTransientConnectionException"));
  }

  @Test
  public void anotherLoggerOrAnotherKindOfFailureIsWrittenInFull() {
    line("broker", recoveryFailure("x"));
    assertTrue(line("msc", recoveryFailure("x")).contains("Caused by:"));
    // another cause under the same wrapper
    String other = line("broker", new IllegalStateException("Exception during recovery", new java.io.IOException("disk")));
    assertTrue(other, other.contains("Caused by: java.io.IOException: disk"));
    // the same classes, the root cause thrown elsewhere (here, not in outage())
    String elsewhere = line("broker", new IllegalStateException("Exception during recovery", new SQLTransientConnectionException("x")));
    assertFalse(elsewhere, elsewhere.contains("as logged at"));
    // and the kind seen first is still referenced
    assertTrue(line("broker", recoveryFailure("x")).contains("as logged at"));
    // the same cause reported from elsewhere (another wrapper thrown here, not in recoveryFailure())
    String reported = line("broker", new IllegalStateException("Exception during recovery", outage("x")));
    assertFalse(reported, reported.contains("as logged at"));
  }

  /** Without a test clock the event's own time is used: what is quoted is the time printed on the full trace's line. */
  @Test
  public void theTimeQuotedIsTheEventsOwn() {
    RepeatedStackTraceConverter c = new RepeatedStackTraceConverter(null);
    c.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    c.start();
    Logger l = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("timed");
    LoggingEvent first = new LoggingEvent(getClass().getName(), l, Level.ERROR, "failure", recoveryFailure("x"), null);
    first.setTimeStamp(java.time.LocalDate.now().atTime(7, 17, 9, 393_000_000).atZone(java.time.ZoneId.systemDefault()).toInstant()
        .toEpochMilli());
    c.convert(first);
    LoggingEvent second = new LoggingEvent(getClass().getName(), l, Level.ERROR, "failure", recoveryFailure("x"), null);
    second.setTimeStamp(first.getTimeStamp() + 2_000);
    String ref = c.convert(second);
    assertTrue(ref, ref.contains("stack trace as logged at 07:17:09.393;"));
  }

  @Test
  public void anEventWithoutAThrowableAddsNothing() {
    Logger l = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("x");
    assertEquals("", converter.convert(new LoggingEvent(getClass().getName(), l, Level.WARN, "plain", null, null)));
  }
}
