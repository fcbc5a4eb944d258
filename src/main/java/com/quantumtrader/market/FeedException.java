package com.quantumtrader.market;

/** A feed that cannot be used at all: a missing or unreadable file or folder, a header without prices. */
public final class FeedException extends RuntimeException {
  public FeedException(String message) {
    super(message);
  }

  public FeedException(String message, Throwable cause) {
    super(message, cause);
  }
}
