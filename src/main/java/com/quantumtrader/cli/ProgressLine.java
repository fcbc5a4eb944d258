package com.quantumtrader.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * An SG run's progress on stderr: on a terminal one line redrawn in place with a bar of the
 * generations done; otherwise (a pipe, a log file) a line at most every second, and the last one.
 * Used by {@code evolve} (a local run) and {@code sg start/show --watch} (a run on a node).
 */
final class ProgressLine {
  private final PrintWriter err;
  private final boolean terminal;
  private long lastPrinted;
  private int width;
  private boolean drawn;

  ProgressLine(PrintWriter err) {
    this(err, stderrIsATerminal());
  }

  /**
   * Whether standard error is a terminal: on Linux, where file descriptor 2 leads; elsewhere whether
   * the JVM has a console (which needs standard input and output to be terminals too, so a report
   * redirected to a file would turn the bar into lines).
   */
  static boolean stderrIsATerminal() {
    try {
      String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  ProgressLine(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** One generation's figures; {@code bestFitness} and {@code medianFitness} may be null (not known yet). */
  void show(long generation, long generations, Double bestFitness, Double medianFitness, double evaluationsPerSecond,
      double barStepsPerSecond) {
    show(generation, generations, bestFitness, medianFitness, evaluationsPerSecond, barStepsPerSecond, 0, 0);
  }

  /** A local run's progress ({@code evolve}): a generation's, or a long generation's under way. */
  void show(com.quantumtrader.strategy.Evolver.Progress p, double barStepsPerSecond) {
    show(p.generation(), p.generations(), known(p.bestFitness()), known(p.medianFitness()), p.evaluationsPerSecond(), barStepsPerSecond,
        p.underWay(), p.underWayOf());
  }

  private static Double known(double f) {
    return Double.isNaN(f) ? null : f;
  }

  /**
   * The figures after {@code generation}; with {@code underWay} > 0, the next generation has made that
   * many of its at most {@code underWayOf} evaluations (a large population's generation takes seconds).
   */
  void show(long generation, long generations, Double bestFitness, Double medianFitness, double evaluationsPerSecond,
      double barStepsPerSecond, long underWay, long underWayOf) {
    long now = System.nanoTime();
    boolean last = generation >= generations;
    if (!terminal && !last && drawn && now - lastPrinted < 1_000_000_000L) return;
    lastPrinted = now;
    drawn = true;
    String next = underWay > 0 && underWayOf > 0
        ? String.format(Locale.ROOT, " (generation %d: %,d of at most %,d evaluations)", generation + 1, underWay, underWayOf) : "";
    String text = String.format(Locale.ROOT, "generation %d/%d%s  best %s  median %s  %,.0f evaluations/s  %s bar-steps/s",
        generation, generations, next, fitness(bestFitness), fitness(medianFitness), evaluationsPerSecond,
        EvolveCommand.rate(barStepsPerSecond));
    if (terminal) {
      double done = generation + (underWayOf > 0 ? Math.min(1.0, (double) underWay / underWayOf) : 0);
      int filled = (int) (20 * done / Math.max(1, generations));
      text = "[" + "#".repeat(Math.min(20, filled)) + " ".repeat(Math.max(0, 20 - filled)) + "] " + text;
      String padded = text.length() < width ? text + " ".repeat(width - text.length()) : text;
      width = text.length();
      err.print("\r" + padded);
    } else {
      err.println(text);
    }
    err.flush();
  }

  /** Ends the redrawn line (on a terminal). */
  void end() {
    if (terminal && drawn) err.println();
    err.flush();
  }

  /** A fitness as shown: "-" before it is known, "invalid" for the score of a parameter set the template refuses. */
  static String fitness(Double f) {
    if (f == null) return "-";
    return f <= com.quantumtrader.strategy.Evolver.INVALID ? "invalid" : StrategyInputs.fixed(f, 3);
  }
}
