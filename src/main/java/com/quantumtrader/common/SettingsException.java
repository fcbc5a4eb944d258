package com.quantumtrader.common;

/** A configuration value that cannot be used. The message is one line naming the key and its env var. */
public final class SettingsException extends RuntimeException {
  public SettingsException(String message) {
    super(message);
  }
}
