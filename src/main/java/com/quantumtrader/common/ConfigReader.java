package com.quantumtrader.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads one section of the configuration and turns every unusable value into a {@link
 * SettingsException} whose message names the full key, the environment variable that overrides it
 * and the offending value, so that start-up can fail with one readable line.
 */
public final class ConfigReader {
  private final Config config;
  private final String section;

  public ConfigReader(Config root, String section) {
    this.section = section;
    try {
      this.config = root.getConfig(section);
    } catch (ConfigException e) {
      throw new SettingsException(section + ": " + oneLine(e));
    }
  }

  public String section() {
    return section;
  }

  public Config config() {
    return config;
  }

  public String string(String key, String env) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw error(key, env, "must be a string");
    }
  }

  public boolean bool(String key, String env) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw error(key, env, "must be true or false");
    }
  }

  public int intIn(String key, String env, int min, int max) {
    int value;
    try {
      value = config.getInt(key);
    } catch (ConfigException e) {
      throw error(key, env, "must be a whole number in [" + min + ", " + max + "]");
    }
    if (value < min || value > max) {
      throw error(key, env, "must be a whole number in [" + min + ", " + max + "]");
    }
    return value;
  }

  public double doubleIn(String key, String env, double min, double max, boolean minExclusive) {
    double value;
    String range = (minExclusive ? "(" : "[") + min + ", " + max + "]";
    try {
      value = config.getDouble(key);
    } catch (ConfigException e) {
      throw error(key, env, "must be a number in " + range);
    }
    boolean belowMin = minExclusive ? !(value > min) : !(value >= min);
    if (Double.isNaN(value) || belowMin || value > max) {
      throw error(key, env, "must be a number in " + range);
    }
    return value;
  }

  public Duration positiveDuration(String key, String env) {
    return duration(key, env, false);
  }

  public Duration nonNegativeDuration(String key, String env) {
    return duration(key, env, true);
  }

  private Duration duration(String key, String env, boolean zeroAllowed) {
    String problem = zeroAllowed ? "must be a duration such as 0s, 30s, 5m, 24h"
        : "must be a positive duration such as 500ms, 30s, 5m, 24h";
    Duration value;
    try {
      value = config.getDuration(key);
    } catch (ConfigException e) {
      throw error(key, env, problem);
    }
    if (value.isNegative() || (!zeroAllowed && value.isZero())) throw error(key, env, problem);
    return value;
  }

  public <E extends Enum<E>> E enumValue(String key, String env, Class<E> type) {
    String raw = string(key, env);
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        if (allowed.length() > 0) allowed.append(", ");
        allowed.append(c.name());
      }
      throw error(key, env, "must be one of " + allowed);
    }
  }

  /** An error about a key of this section, with its current raw value. */
  public SettingsException error(String key, String env, String problem) {
    String raw;
    try {
      raw = config.hasPath(key) ? String.valueOf(config.getValue(key).unwrapped()) : null;
    } catch (ConfigException e) {
      raw = null;
    }
    String where = section + "." + key + (env == null ? "" : " (" + env + ")");
    return new SettingsException(
        where + ": " + problem + (raw == null ? ", but it is missing" : ", got '" + raw + "'"));
  }

  /** Why a file could not be read, in words (the JDK's messages repeat the path, or are a class name). */
  public static String whyUnreadable(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    if (e instanceof java.nio.charset.CharacterCodingException) return "not UTF-8 text";
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
    String m = e.getMessage();
    return m == null || m.isBlank() ? "an I/O error" : m.toLowerCase(Locale.ROOT);
  }

  public static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
