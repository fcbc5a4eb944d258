package com.quantumtrader.cli;

import com.quantumtrader.common.Names;
import com.quantumtrader.market.CsvBarFile;
import com.quantumtrader.market.FeedException;
import com.quantumtrader.market.SpikeWatch;
import com.quantumtrader.strategy.BarArrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The candles a local command ({@code backtest}, {@code evolve}) reads: {@code --data}, {@code --symbol}, {@code --interval}. */
final class CandleData {
  @Option(names = "--data", required = true, paramLabel = "PATH", description = "A <SYMBOL>-<interval>.csv file, or a folder of them.")
  Path data;

  @Option(names = "--symbol", paramLabel = "SYMBOL",
      description = "Only this symbol of a folder; evolve needs it when the folder has several symbols (backtest runs them as one portfolio).")
  String symbol;

  @Option(names = "--interval", paramLabel = "INTERVAL",
      description = "The candles' interval (1h, 5m, 1d, ...), needed when --data has a symbol's candles of several intervals.")
  String interval;

  /** The rows of the files read that were not valid bars, by symbol and reason (for --json; empty when none). */
  Map<String, Map<com.quantumtrader.market.RejectReason, Long>> rowsLeftOut = Map.of();

  /**
   * The candles of {@code --data} that match {@code --symbol} and {@code --interval} (each optional),
   * one entry per symbol; only the matching files are read. Refused when they are of several
   * intervals: a run is on one interval.
   */
  List<BarArrays> load(CommandSpec spec) throws CliException {
    return load(spec, false);
  }

  /** {@link #load(CommandSpec)}; with {@code oneSymbol}, several symbols chosen are refused before any file is read. */
  List<BarArrays> load(CommandSpec spec, boolean oneSymbol) throws CliException {
    List<CsvBarFile.Name> names;
    try {
      names = BarArrays.select(data, symbol, interval);
    } catch (FeedException | IllegalArgumentException e) {
      throw new CliException(CliException.DATA, "--data: " + e.getMessage());
    }
    List<String> symbols = names.stream().map(CsvBarFile.Name::symbol).distinct().toList();
    if (oneSymbol && symbols.size() > 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data holds " + symbols.size() + " symbols ("
          + Names.few(symbols) + "): choose one with --symbol");
    }
    Set<String> intervals = new TreeSet<>();
    names.forEach(n -> intervals.add(n.interval()));
    if (intervals.size() > 1) {
      throw new CliException(CliException.DATA, "--data: " + data + " has " + (symbol == null ? "" : symbol + " ")
          + "candles of several intervals " + intervals + ": choose one with --interval");
    }
    List<BarArrays> all;
    com.quantumtrader.market.RejectCounts rejects = new com.quantumtrader.market.RejectCounts();
    try {
      all = BarArrays.load(data, names::contains, rejects);
    } catch (FeedException | IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new CliException(CliException.DATA, "--data: " + e.getMessage());
    }
    // Rows that are not valid bars are left out, as a live feed leaves them out; say so (stderr: a
    // --json report on stdout stays clean)
    rowsLeftOut = new java.util.TreeMap<>(rejects.snapshot());
    String skipped = rejects.summary();
    if (skipped != null) spec.commandLine().getErr().println("quantum-trader: " + skipped);
    if (all.isEmpty()) {
      // in a folder, the files chosen (a folder's other files were not read)
      String where = java.nio.file.Files.isDirectory(data)
          ? Names.few(names.stream().map(n -> n.symbol() + "-" + n.interval() + ".csv").sorted().toList()) + " in " + data
          : data.toString();
      throw new CliException(CliException.DATA, "--data: no valid candles in " + where + (skipped == null ? "" : "; " + skipped));
    }
    // A chosen file without one valid bar (empty, a header only, every row refused) is not a series:
    // say which, rather than run without it unnoticed
    Set<String> loaded = new TreeSet<>();
    all.forEach(b -> loaded.add(b.symbol + "-" + b.interval));
    List<String> none = names.stream().map(n -> n.symbol() + "-" + n.interval()).filter(n -> !loaded.contains(n)).sorted().toList();
    if (!none.isEmpty()) {
      spec.commandLine().getErr().println("quantum-trader: left out, without one valid candle: " + String.join(", ", none));
    }
    for (BarArrays b : all) {
      warnOfSpikes(spec, b);
      warnOfGaps(spec, b);
    }
    return all;
  }

  /** A gap between bars longer than any in the shared data set (17 days): a time mistyped, most likely. */
  static final long LONG_GAP_MS = 30L * 86_400_000L;

  /**
   * Names the gaps of more than {@link #LONG_GAP_MS} between consecutive bars: a first row typed years
   * early passes every row check, and the Sharpe and Sortino, annualized by the bars per year over the
   * whole span, shrink with it. They are kept (a market closed for months is real).
   */
  private static void warnOfGaps(CommandSpec spec, BarArrays b) {
    List<String> at = new java.util.ArrayList<>();
    for (int i = 1; i < b.size(); i++) {
      long gap = b.openTime(i) - b.openTime(i - 1);
      if (gap > LONG_GAP_MS) {
        at.add(StrategyInputs.minute(b.openTime(i - 1)) + " .. " + StrategyInputs.minute(b.openTime(i)) + " (" + String.format(java.util.Locale.ROOT, "%,d", gap / 86_400_000L)
            + " days)");
      }
    }
    if (at.isEmpty()) return;
    spec.commandLine().getErr().println("quantum-trader: " + b.symbol + ": " + StrategyInputs.count(at.size(), "gap") + " of more than "
        + LONG_GAP_MS / 86_400_000L + " days between bars (a mistyped time?), kept: " + Names.few(at, "; ")
        + "; Sharpe and Sortino are annualized over the whole span, gaps included");
  }


  /**
   * Names the bars that spike {@link SpikeWatch#FACTOR} times from the close before them and come back on the
   * next (BarArrays#spikes): valid rows a backtest trades on, most likely bad ticks. They are kept (a
   * flash crash is real too: the shared data set's only one is XL's low of 5.40 on 2015-08-24).
   */
  private static void warnOfSpikes(CommandSpec spec, BarArrays b) {
    int[] spikes = b.spikes(SpikeWatch.FACTOR);
    if (spikes.length == 0) return;
    List<String> at = new java.util.ArrayList<>();
    for (int i : spikes) {
      double before = b.close(i - 1);
      boolean high = SpikeWatch.highIsFarther(before, b.high(i), b.low(i));
      at.add(StrategyInputs.minute(b.openTime(i)) + " ("
          + (high ? "high " : "low ") + StrategyInputs.number(high ? b.high(i) : b.low(i)) + " after a close of "
          + StrategyInputs.number(before) + ")");
    }
    spec.commandLine().getErr().println("quantum-trader: " + b.symbol + ": " + StrategyInputs.count(spikes.length, "bar")
        + " " + (spikes.length == 1 ? "moves" : "move") + " " + StrategyInputs.trim(SpikeWatch.FACTOR) + "x or more from the close before and back by the next"
        + " bar (a bad tick?), kept: " + Names.few(at, "; "));
  }
}
