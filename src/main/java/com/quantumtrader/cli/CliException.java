package com.quantumtrader.cli;

/** A command failed for a reason the operator should read; {@link #exitCode()} is the process's exit status. */
final class CliException extends Exception {
  /** The node answered with 4xx or 5xx. */
  static final int SERVER_ERROR = 1;
  /**
   * The candles cannot give what was asked (too few for the strategy, none in the days chosen, none
   * that hold a walk-forward window): a usage error's exit status, without the usage text (the flags
   * were right; the data is not).
   */
  static final int DATA = 2;
  /** The node could not be reached (refused, unknown host, no answer in time). */
  static final int UNREACHABLE = 3;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
