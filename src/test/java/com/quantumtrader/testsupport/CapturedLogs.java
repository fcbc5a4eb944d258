package com.quantumtrader.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** What the logs say while it is open: every event of every logger, as Logback hands them out. */
public final class CapturedLogs implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  public CapturedLogs() {
    appender.start();
    root.addAppender(appender);
  }

  /** The events so far that match. */
  public List<ILoggingEvent> events(Predicate<ILoggingEvent> which) {
    synchronized (appender) {
      return appender.list.stream().filter(which).toList();
    }
  }

  /** Every message so far, formatted. */
  public List<String> messages() {
    return events(e -> true).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The messages so far at WARN. */
  public List<String> warnings() {
    return events(e -> e.getLevel() == Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
