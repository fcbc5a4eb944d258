package com.quantumtrader.strategy;

import com.quantumtrader.market.Bar;
import com.quantumtrader.market.CsvBarFile;
import com.quantumtrader.market.CsvFolderFeed;
import com.quantumtrader.market.RejectCounts;
import com.quantumtrader.market.SpikeWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One symbol's bars as primitive arrays, in time order, for the backtester's hot loop: no boxing, no
 * per-bar objects. A view of the bars {@code [from, to)} of shared arrays, so {@link #slice} copies
 * nothing; index 0 of a view is its first bar. Treat the arrays as read-only.
 */
public final class BarArrays {
  public final String symbol;
  public final String interval;
  final long[] openTime;
  final double[] open, high, low, close;
  final int from, to;
  /** Indicator series of this view and of every view of the same arrays. */
  final SeriesCache series;

  private BarArrays(String symbol, String interval, long[] openTime, double[] open, double[] high, double[] low,
      double[] close, int from, int to, SeriesCache series) {
    this.symbol = symbol;
    this.interval = interval;
    this.openTime = openTime;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.from = from;
    this.to = to;
    this.series = series;
  }

  /** Wraps the arrays (not copied); all of the same length, times strictly increasing. */
  public static BarArrays of(String symbol, String interval, long[] openTime, double[] open, double[] high, double[] low,
      double[] close) {
    int n = openTime.length;
    if (open.length != n || high.length != n || low.length != n || close.length != n) {
      throw new IllegalArgumentException(symbol + ": arrays of different lengths");
    }
    for (int i = 1; i < n; i++) {
      if (openTime[i] <= openTime[i - 1]) {
        throw new IllegalArgumentException(symbol + ": open times not increasing at bar " + i);
      }
    }
    return new BarArrays(symbol, interval, openTime, open, high, low, close, 0, n, new SeriesCache());
  }

  /** One symbol's bars (all of {@code bars} must be of one symbol, in time order). */
  public static BarArrays of(List<Bar> bars) {
    int n = bars.size();
    long[] t = new long[n];
    double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n];
    String symbol = n == 0 ? "" : bars.get(0).symbol(), interval = n == 0 ? "" : bars.get(0).interval();
    for (int i = 0; i < n; i++) {
      Bar b = bars.get(i);
      if (!b.symbol().equals(symbol)) throw new IllegalArgumentException("bars of " + symbol + " and " + b.symbol());
      t[i] = b.openTime();
      o[i] = b.open();
      h[i] = b.high();
      l[i] = b.low();
      c[i] = b.close();
    }
    return of(symbol, interval, t, o, h, l, c);
  }

  /**
   * The bars of every {@code <SYMBOL>-<interval>.csv} in a file or folder (read through {@link
   * CsvFolderFeed}, so rows are validated the same way as in a live run), one per symbol and
   * interval (a symbol's 1h and 5m files are two series), in symbol then interval order.
   */
  public static List<BarArrays> load(Path fileOrFolder) {
    return load(fileOrFolder, name -> true);
  }

  /**
   * As {@link #load(Path)}, reading only the files of a folder whose name {@code select} accepts (a
   * folder of many symbols is not read whole to use one).
   */
  public static List<BarArrays> load(Path fileOrFolder, Predicate<CsvBarFile.Name> select) {
    return load(fileOrFolder, select, new RejectCounts());
  }

  /** As {@link #load(Path, Predicate)}, counting the rows that were not valid bars in {@code rejects}. */
  public static List<BarArrays> load(Path fileOrFolder, Predicate<CsvBarFile.Name> select, RejectCounts rejects) {
    Map<String, List<Bar>> series = new TreeMap<>();
    try (CsvFolderFeed feed = new CsvFolderFeed(fileOrFolder, rejects, select)) {
      for (Bar b; (b = feed.next()) != null; ) series.computeIfAbsent(b.symbol() + " " + b.interval(), k -> new ArrayList<>()).add(b);
      List<BarArrays> out = new ArrayList<>();
      for (List<Bar> l : series.values()) {
        // each file's own times are checked as it is read: bars out of order here come from two files
        // of one series whose times overlap (a copy under another case, parts that overlap)
        for (int i = 1; i < l.size(); i++) {
          if (l.get(i).openTime() <= l.get(i - 1).openTime()) {
            Bar b = l.get(i);
            throw new IllegalArgumentException(b.symbol() + " " + b.interval() + ": the files " + String.join(", ", feed.files(b.symbol(), b.interval()).stream().map(Path::toString).toList())
                + " overlap (each has a bar at " + java.time.Instant.ofEpochMilli(b.openTime()) + "): keep one of them, or parts that"
                + " do not overlap");
          }
        }
        out.add(of(l));
      }
      return out;
    }
  }

  /**
   * The series (symbol and interval) of a file or folder that match {@code symbol} and {@code
   * interval} (either null: any), by file name only.
   *
   * @throws IllegalArgumentException if none does, naming what the data holds
   */
  public static List<CsvBarFile.Name> select(Path fileOrFolder, String symbol, String interval) {
    return select(fileOrFolder, symbol, interval, interval == null ? List.of() : List.of(interval.trim()));
  }

  /**
   * {@link #select(Path, String, String)}; when nothing matches, the message lists the series of {@code
   * listed} intervals (those the caller can use), or every series when it has none of them.
   */
  public static List<CsvBarFile.Name> select(Path fileOrFolder, String symbol, String interval, java.util.Collection<String> listed) {
    if (!Files.exists(fileOrFolder)) throw new IllegalArgumentException("market data " + fileOrFolder + " does not exist");
    if (!Files.isDirectory(fileOrFolder) && CsvBarFile.Name.of(fileOrFolder) == null) {
      throw new IllegalArgumentException("file " + fileOrFolder + ": name must be <SYMBOL>-<interval>.csv, e.g. BTCUSDT-1h.csv");
    }
    List<CsvBarFile.Name> all = CsvFolderFeed.names(fileOrFolder);
    if (all.isEmpty()) throw new IllegalArgumentException("no <SYMBOL>-<interval>.csv files in " + fileOrFolder);
    List<CsvBarFile.Name> out = all.stream()
        .filter(n -> symbol == null || n.symbol().equalsIgnoreCase(symbol.trim()))
        .filter(n -> interval == null || n.interval().equals(interval.trim()))
        .toList();
    if (out.isEmpty() && symbol != null && interval != null) {
      // the symbol is there in other intervals: name them (a folder of hundreds of series says little)
      List<String> has = all.stream().filter(n -> n.symbol().equalsIgnoreCase(symbol.trim())).map(CsvBarFile.Name::interval).distinct().toList();
      if (!has.isEmpty()) {
        String sym = symbol.trim().toUpperCase(java.util.Locale.ROOT);
        boolean caseOnly = has.stream().anyMatch(i -> i.equalsIgnoreCase(interval.trim()));
        throw new IllegalArgumentException("no " + sym + " " + interval.trim() + " candles in " + fileOrFolder + "; " + sym + " has "
            + String.join(", ", has) + (caseOnly ? " (intervals are case-sensitive: 1m is a minute, 1M a month)" : ""));
      }
    }
    if (out.isEmpty()) {
      List<CsvBarFile.Name> usable = all.stream().filter(n -> listed.contains(n.interval())).toList();
      List<CsvBarFile.Name> shown = usable.isEmpty() ? all : usable;
      String held = (usable.isEmpty() ? "" : usable.size() + " series of " + String.join(", ", listed) + ": ")
          + (shown.size() <= 12 ? shown.toString() : shown.subList(0, 12) + " and " + (shown.size() - 12) + " more")
          + (usable.isEmpty() || usable.size() == all.size() ? "" : " (" + (all.size() - usable.size()) + " of other intervals)");
      throw new IllegalArgumentException("no " + (symbol == null ? "" : symbol.trim().toUpperCase(java.util.Locale.ROOT) + " ")
          + (interval == null ? "" : interval.trim() + " ") + "candles in " + fileOrFolder + "; it holds " + held);
    }
    return out;
  }

  /** The bars of one CSV file (one symbol). */
  public static BarArrays loadOne(Path file) {
    List<BarArrays> all = load(file);
    if (all.size() != 1) throw new IllegalArgumentException(file + " holds " + all.size() + " symbols");
    return all.get(0);
  }

  /** The bars {@code [fromIndex, toIndex)} of this view, sharing the arrays. */
  public BarArrays slice(int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex > size() || fromIndex > toIndex) {
      throw new IndexOutOfBoundsException("slice [" + fromIndex + ", " + toIndex + ") of " + size() + " bars");
    }
    return new BarArrays(symbol, interval, openTime, open, high, low, close, from + fromIndex, from + toIndex, series);
  }

  public int size() {
    return to - from;
  }

  public long openTime(int i) {
    return openTime[from + i];
  }

  public double open(int i) {
    return open[from + i];
  }

  public double high(int i) {
    return high[from + i];
  }

  public double low(int i) {
    return low[from + i];
  }

  public double close(int i) {
    return close[from + i];
  }

  /**
   * The bars (indices into this view) whose high, low or close is {@code factor} times the close
   * before them or more, or that much below it, and whose next bar closes back within that factor of
   * that earlier close: a price that spikes for one bar and comes back, most likely a bad tick (a
   * split or a crash does not come back). Such a bar passes every row check, and a backtest marks,
   * sizes and exits on it. The rule of the live feed's {@link SpikeWatch}.
   */
  public int[] spikes(double factor) {
    int n = size();
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int i = 1; i + 1 < n; i++) {
      double before = close(i - 1), next = close(i + 1);
      if (!(before > 0)) continue;
      if (SpikeWatch.jumps(before, high(i), low(i), close(i), factor) && SpikeWatch.back(before, next, factor)) out.add(i);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Bars per year as observed: (size - 1) intervals over the time they span. A market that closes at
   * night or at weekends gets its real count (about 252 daily bars for equities), not a calendar one.
   * NaN with fewer than two bars.
   */
  public double barsPerYear() {
    int n = size();
    if (n < 2) return Double.NaN;
    double span = openTime[to - 1] - openTime[from];
    return (n - 1) / (span / (365.25 * 24 * 3600 * 1000.0));
  }

  /** The index of the first bar whose open time is at or after {@code time} (size() if none). */
  public int indexAtOrAfter(long time) {
    int lo = from, hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (openTime[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo - from;
  }

  @Override
  public String toString() {
    return "BarArrays[" + symbol + " " + interval + ", " + size() + " bars]";
  }
}
