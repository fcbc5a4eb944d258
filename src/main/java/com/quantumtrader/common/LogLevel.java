package com.quantumtrader.common;

import java.util.Locale;

/**
 * {@code QT_LOG_LEVEL} for the two loggers that read it: Akka ({@code akka.loglevel}: OFF, ERROR,
 * WARNING, INFO, DEBUG) and Logback (the root logger: OFF, ERROR, WARN, INFO, DEBUG). Either
 * spelling of the warning level works for both, in any case; each gets its own. (Logback took
 * WARNING, a name it does not know, for DEBUG; Akka refused WARN.)
 */
public final class LogLevel {
  private LogLevel() {}

  /** Akka's name for the level, or null for a value that names none. */
  public static String akka(String raw) {
    if (raw == null) return null;
    String v = raw.trim().toUpperCase(Locale.ROOT);
    return switch (v) {
      case "OFF", "ERROR", "INFO", "DEBUG" -> v;
      case "WARN", "WARNING" -> "WARNING";
      default -> null;
    };
  }

  /** Logback's name for the level; INFO when unset or unknown (the node refuses an unknown one at start-up). */
  public static String logback(String raw) {
    String a = akka(raw);
    return a == null ? "INFO" : a.equals("WARNING") ? "WARN" : a;
  }

  /** The root level in logback.xml, from {@code QT_LOG_LEVEL}. */
  public static final class Definer extends ch.qos.logback.core.PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
      return logback(System.getenv("QT_LOG_LEVEL"));
    }
  }
}
