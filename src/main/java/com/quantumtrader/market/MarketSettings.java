package com.quantumtrader.market;

import com.quantumtrader.common.ConfigReader;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * quantum-trader.market: which feed the node runs and how fast.
 *
 * @param intervals the candle intervals the CSV feed reads (empty: all; each symbol must then come in
 *     one interval)
 * @param speed replay speed as a multiple of real time; 0 means as fast as possible
 * @param syntheticSteps time steps the synthetic market runs for (0: without end)
 * @param syntheticCrashAt time step at which a crash is planted in the synthetic market (-1: none)
 * @param syntheticCrashSteps how many time steps the planted crash lasts
 */
public record MarketSettings(
    boolean enabled,
    Kind feed,
    Path data,
    java.util.Set<String> intervals,
    double speed,
    int syntheticSymbols,
    String syntheticInterval,
    long syntheticSeed,
    Instant syntheticStart,
    long syntheticSteps,
    long syntheticCrashAt,
    int syntheticCrashSteps,
    int batchSize,
    int parallelism) {

  public enum Kind {
    SYNTHETIC,
    CSV
  }

  public static MarketSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.market");
    Kind kind = r.enumValue("feed", "QT_MARKET_FEED", Kind.class);
    String data = r.string("data", "QT_MARKET_DATA").trim();
    if (kind == Kind.CSV && data.isEmpty()) throw r.error("data", "QT_MARKET_DATA", "must name a file or folder of candles when the feed is CSV");
    if (kind == Kind.CSV && r.bool("enabled", "QT_MARKET_ENABLED") && !java.nio.file.Files.isReadable(Path.of(data))) {
      throw r.error("data", "QT_MARKET_DATA", "does not exist or cannot be read");
    }
    java.util.Set<String> intervals = new java.util.TreeSet<>();
    for (String i : r.string("interval", "QT_MARKET_INTERVAL").split(",")) if (!i.isBlank()) intervals.add(i.trim());
    for (String i : intervals) {
      try {
        com.quantumtrader.ranker.Scoring.intervalMillis(i);
      } catch (RuntimeException e) {
        throw r.error("interval", "QT_MARKET_INTERVAL", "must be empty or intervals such as 5m or 5m,1d");
      }
    }
    if (kind == Kind.CSV && r.bool("enabled", "QT_MARKET_ENABLED")) {
      String problem;
      try {
        problem = intervalProblem(Path.of(data), intervals);
      } catch (FeedException e) {
        throw r.error("data", "QT_MARKET_DATA", e.getMessage());
      }
      if (problem != null) throw r.error(intervals.isEmpty() ? "data" : "interval", intervals.isEmpty() ? "QT_MARKET_DATA" : "QT_MARKET_INTERVAL", problem);
    }
    String rawSpeed = r.string("speed", "QT_MARKET_SPEED").trim().toLowerCase(Locale.ROOT);
    double speed;
    if (rawSpeed.equals("max")) {
      speed = 0;
    } else {
      try {
        speed = com.quantumtrader.common.Numbers.parse(rawSpeed);
      } catch (NumberFormatException e) {
        throw r.error("speed", "QT_MARKET_SPEED", "must be 'max' or a positive multiple of real time, e.g. 60");
      }
      if (!(speed > 0) || Double.isInfinite(speed)) throw r.error("speed", "QT_MARKET_SPEED", "must be 'max' or a positive multiple of real time, e.g. 60");
    }
    String interval = r.string("synthetic.interval", "QT_MARKET_SYNTHETIC_INTERVAL");
    try {
      com.quantumtrader.ranker.Scoring.intervalMillis(interval);
    } catch (RuntimeException e) {
      throw r.error("synthetic.interval", "QT_MARKET_SYNTHETIC_INTERVAL", "must be an interval such as 1m, 5m, 1h, 1d");
    }
    Instant start;
    try {
      start = Instant.parse(r.string("synthetic.start", null));
    } catch (RuntimeException e) {
      throw r.error("synthetic.start", null, "must be an instant such as 2024-01-01T00:00:00Z");
    }
    return new MarketSettings(
        r.bool("enabled", "QT_MARKET_ENABLED"),
        kind,
        data.isEmpty() ? null : Path.of(data),
        java.util.Set.copyOf(intervals),
        speed,
        r.intIn("synthetic.symbols", "QT_MARKET_SYNTHETIC_SYMBOLS", 1, 100_000),
        interval,
        r.config().getLong("synthetic.seed"),
        start,
        r.config().getLong("synthetic.steps") < 0 ? fail(r, "synthetic.steps", "QT_MARKET_SYNTHETIC_STEPS")
            : r.config().getLong("synthetic.steps"),
        r.config().getLong("synthetic.crash-at-step") < -1 ? fail(r, "synthetic.crash-at-step", "QT_MARKET_SYNTHETIC_CRASH_AT_STEP")
            : r.config().getLong("synthetic.crash-at-step"),
        r.intIn("synthetic.crash-steps", "QT_MARKET_SYNTHETIC_CRASH_STEPS", 1, 100_000),
        r.intIn("batch-size", "QT_MARKET_BATCH_SIZE", 1, 1_000_000),
        r.intIn("parallelism", "QT_MARKET_PARALLELISM", 1, 10_000));
  }

  /**
   * Why the CSV feed cannot replay {@code data} with these intervals, or null: a symbol whose candles
   * come in several of them (its 1h and 5m bars would reach the same ranker and strategies as one
   * series), or no file of them at all. By file name; nothing is read.
   */
  static String intervalProblem(Path data, java.util.Set<String> intervals) {
    java.util.Map<String, java.util.Set<String>> bySymbol = new java.util.TreeMap<>();
    for (CsvBarFile.Name n : CsvFolderFeed.names(data)) {
      if (intervals.isEmpty() || intervals.contains(n.interval())) {
        bySymbol.computeIfAbsent(n.symbol(), k -> new java.util.TreeSet<>()).add(n.interval());
      }
    }
    if (bySymbol.isEmpty() && !intervals.isEmpty()) return "no candle files of " + intervals + " in " + data;
    java.util.List<String> mixed = new java.util.ArrayList<>();
    bySymbol.forEach((sym, ivs) -> {
      if (ivs.size() > 1) mixed.add(sym + " " + ivs);
    });
    if (mixed.isEmpty()) return null;
    return data + " has candles of several intervals for " + (mixed.size() <= 5 ? mixed : mixed.subList(0, 5) + " and "
        + (mixed.size() - 5) + " more") + ": choose with QT_MARKET_INTERVAL (run --interval), e.g. "
        + mixed.get(0).substring(mixed.get(0).indexOf('[') + 1, mixed.get(0).indexOf(',')) + ", or a list such as 5m,1d";
  }

  private static long fail(ConfigReader r, String key, String env) {
    throw r.error(key, env, key.equals("synthetic.steps") ? "must be 0 (no end) or a positive number of time steps"
        : "must be -1 (none) or a time step");
  }

  public MarketSettings withCsv(Path folder) {
    return new MarketSettings(enabled, Kind.CSV, folder, intervals, speed, syntheticSymbols, syntheticInterval, syntheticSeed, syntheticStart,
        syntheticSteps, syntheticCrashAt, syntheticCrashSteps, batchSize, parallelism);
  }

  public MarketSettings withSpeed(double s) {
    return new MarketSettings(enabled, feed, data, intervals, s, syntheticSymbols, syntheticInterval, syntheticSeed, syntheticStart,
        syntheticSteps, syntheticCrashAt, syntheticCrashSteps, batchSize, parallelism);
  }

  public BarSource open(RejectCounts counts) {
    return feed == Kind.CSV
        ? new CsvFolderFeed(data, counts, n -> intervals.isEmpty() || intervals.contains(n.interval()), true)
        : new SyntheticMarket(syntheticSeed, syntheticSymbols, syntheticInterval, syntheticStart.toEpochMilli(),
            syntheticSteps == 0 ? Long.MAX_VALUE : syntheticSteps).plantCrash(syntheticCrashAt, syntheticCrashSteps);
  }
}
