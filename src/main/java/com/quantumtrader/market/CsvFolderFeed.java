package com.quantumtrader.market;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Candles from one file or a folder of {@code <SYMBOL>-<interval>.csv} files, merged into one stream
 * in open-time order (ties in symbol order), as a live feed would deliver them. Files are read
 * lazily, one row ahead each. A node's feed leaves out a file it cannot read (not UTF-8 text, a
 * header without prices, an I/O error) and goes on with the others ({@link #leftOut}); a backtest's
 * stops on it.
 */
public final class CsvFolderFeed implements BarSource {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CsvFolderFeed.class);
  private final boolean leaveOutUnreadable;
  private final java.util.concurrent.ConcurrentSkipListMap<String, String> leftOut = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final List<CsvBarFile> files = new ArrayList<>();
  private final PriorityQueue<CsvBarFile> heap =
      new PriorityQueue<>(Comparator.<CsvBarFile>comparingLong(f -> f.peek().openTime()).thenComparing(CsvBarFile::symbol));
  private final RejectCounts counts;

  public CsvFolderFeed(Path fileOrFolder, RejectCounts counts) {
    this(fileOrFolder, counts, name -> true);
  }

  /** Only the files of a folder whose name {@code select} accepts (a single file is read as it is). */
  public CsvFolderFeed(Path fileOrFolder, RejectCounts counts, Predicate<CsvBarFile.Name> select) {
    this(fileOrFolder, counts, select, false);
  }

  /**
   * @param leaveOutUnreadable a file that cannot be read, at the start or later, is left out (named in
   *     {@link #leftOut} and logged) while the others go on, unless none is left: a node's feed, where
   *     one corrupt file stopped every symbol's data; otherwise the first such file is a {@link FeedException}
   */
  public CsvFolderFeed(Path fileOrFolder, RejectCounts counts, Predicate<CsvBarFile.Name> select, boolean leaveOutUnreadable) {
    this.counts = counts;
    this.leaveOutUnreadable = leaveOutUnreadable;
    if (!Files.exists(fileOrFolder)) throw new FeedException("market data " + fileOrFolder + " does not exist");
    if (!Files.isReadable(fileOrFolder)) throw new FeedException("market data " + fileOrFolder + " cannot be read");
    List<Path> paths = new ArrayList<>();
    if (Files.isDirectory(fileOrFolder)) {
      try (Stream<Path> s = Files.list(fileOrFolder)) {
        s.filter(p -> Files.isRegularFile(p) && CsvBarFile.isCandleFile(p)).sorted().forEach(paths::add);
      } catch (IOException e) {
        throw new FeedException("cannot list " + fileOrFolder + ": " + e.getMessage(), e);
      }
      if (paths.isEmpty()) throw new FeedException("no <SYMBOL>-<interval>.csv files in " + fileOrFolder);
      paths.removeIf(p -> !select.test(CsvBarFile.Name.of(p)));
      if (paths.isEmpty()) throw new FeedException("none of the <SYMBOL>-<interval>.csv files in " + fileOrFolder + " was chosen");
    } else {
      if (!Files.isRegularFile(fileOrFolder)) {
        // a FIFO waited forever, and /dev/zero ran out of memory on one endless line
        throw new FeedException("market data " + fileOrFolder + " is not a regular file or a folder");
      }
      paths.add(fileOrFolder);
    }
    FeedException first = null;
    for (Path p : paths) {
      CsvBarFile f = null;
      try {
        f = CsvBarFile.open(p, counts);
        files.add(f);
        if (f.peek() != null) heap.add(f);
      } catch (FeedException e) {
        if (!leaveOutUnreadable) throw e;
        if (first == null) first = e;
        if (f != null) {
          files.remove(f);
          f.close();
        }
        leaveOut(p, e);
      }
    }
    if (first != null && files.isEmpty()) throw first; // nothing left to read
  }

  private void leaveOut(Path p, FeedException e) {
    leftOut.put(p.getFileName().toString(), e.getMessage());
    log.error("market feed: left out {}, which cannot be read ({}); the other files go on", p.getFileName(), e.getMessage());
  }

  /** The files left out because they could not be read, by file name, with why; empty when none. */
  @Override
  public java.util.Map<String, String> leftOut() {
    return java.util.Map.copyOf(leftOut);
  }

  /** The files this feed reads for {@code symbol} and {@code interval} (more than one: parts, or copies), by name. */
  public List<Path> files(String symbol, String interval) {
    return files.stream().filter(f -> f.symbol().equals(symbol) && f.interval().equals(interval)).map(CsvBarFile::path)
        .map(p -> p.getFileName()).sorted().toList();
  }

  /** The names (symbol and interval) of the candle files of a file or folder, by file name only, sorted. */
  public static List<CsvBarFile.Name> names(Path fileOrFolder) {
    if (!Files.isDirectory(fileOrFolder)) {
      CsvBarFile.Name n = CsvBarFile.Name.of(fileOrFolder);
      return n == null ? List.of() : List.of(n);
    }
    try (Stream<Path> s = Files.list(fileOrFolder)) {
      return s.filter(Files::isRegularFile).map(CsvBarFile.Name::of).filter(java.util.Objects::nonNull).distinct()
          .sorted(Comparator.comparing(CsvBarFile.Name::symbol).thenComparing(CsvBarFile.Name::interval)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new FeedException("cannot list " + fileOrFolder + ": " + e.getMessage(), e);
    }
  }

  /**
   * The name, size and last-modified time of each file of {@code fileOrFolder} that {@code select}
   * accepts, in name order: a cheap check that the candles are still those read before.
   *
   * @throws FeedException if the folder cannot be listed or a file read
   */
  public static String stamp(Path fileOrFolder, java.util.function.Predicate<CsvBarFile.Name> select) {
    try {
      List<Path> files;
      if (!Files.isDirectory(fileOrFolder)) {
        files = List.of(fileOrFolder);
      } else {
        try (Stream<Path> s = Files.list(fileOrFolder)) {
          files = s.filter(Files::isRegularFile).sorted().toList();
        }
      }
      java.util.StringJoiner out = new java.util.StringJoiner("; ");
      for (Path p : files) {
        CsvBarFile.Name n = CsvBarFile.Name.of(p);
        if (n != null && select.test(n)) {
          out.add(p.getFileName() + " " + Files.size(p) + " bytes " + Files.getLastModifiedTime(p).toInstant());
        }
      }
      return out.toString();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new FeedException("cannot read " + fileOrFolder + ": " + e.getMessage(), e);
    }
  }

  @Override
  public RejectCounts rejects() {
    return counts;
  }

  @Override
  public List<String> symbols() {
    return files.stream().map(CsvBarFile::symbol).distinct().sorted().toList();
  }

  @Override
  public Bar next() {
    CsvBarFile f = heap.poll();
    if (f == null) return null;
    Bar b = f.next();
    try {
      if (f.peek() != null) heap.add(f);
    } catch (FeedException e) {
      if (!leaveOutUnreadable) throw e;
      f.close();
      leaveOut(f.path(), e);
    }
    return b;
  }

  @Override
  public void close() {
    files.forEach(CsvBarFile::close);
  }
}
