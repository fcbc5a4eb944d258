package com.quantumtrader.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that prints through picocli's writers (so tests and callers can capture the output). A
 * {@link CliException} ends it with its message on stderr and its exit code; a usage error is a
 * picocli {@code ParameterException} (exit 2).
 */
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      run();
      out().flush();
      return 0;
    } catch (CliException e) {
      out().flush();
      err().println("quantum-trader: " + e.getMessage());
      err().flush();
      return e.exitCode();
    }
  }

  /** The command's work; the exit code is 0 unless it throws. */
  abstract void run() throws CliException;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
