package com.quantumtrader.market;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one {@code <SYMBOL>-<interval>[-anything].csv} file of candles, lazily, row by row.
 *
 * <p>Two kinds of file are recognised from the first line:
 *
 * <ul>
 *   <li>Header-based OHLCV ("date,open,high,low,close,volume[,...]"): columns are found by name, extra
 *       columns (a ticker name, ...) are ignored; a row with more or fewer fields than the header is
 *       unparsable. The time column is {@code date}, {@code timestamp},
 *       {@code time}, {@code open_time} or {@code datetime}, holding {@code YYYY-MM-DD HH:MM:SS} (UTC),
 *       {@code YYYY-MM-DD}, {@code YYYYMMDD}, or epoch seconds, milliseconds or microseconds.
 *   <li>The exchange's raw kline dump (Binance public data): 12 columns, no header, open time in
 *       milliseconds, or microseconds in newer files (told apart by magnitude), quote volume in column
 *       8 and the trade count in column 9.
 * </ul>
 *
 * Every row that cannot become a valid bar is counted with its reason and skipped; the file goes on.
 */
public final class CsvBarFile implements Closeable {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9._]+)-(\\d+[smhdwM])(?:-.*)?\\.csv");

  private final Path path;
  private final String symbol;
  private final String interval;
  private final BufferedReader in;
  private final RejectCounts counts;
  private long given = Long.MIN_VALUE; // the open time of the last bar given
  private Bar held; // read, not given yet: see advance
  private Bar pushedBack; // read ahead to judge a row out of place, and still to be judged itself
  private final boolean kline;
  private final int iTime, iOpen, iHigh, iLow, iClose, iVolume, iQuote, iTrades, columns;

  /** The header names read (the others are ignored), each of which a header may give once. */
  private static final java.util.Set<String> KNOWN_COLUMNS = java.util.Set.of("date", "timestamp", "time", "open_time", "opentime",
      "datetime", "open", "high", "low", "close", "volume", "base_volume", "quote_volume", "quote_asset_volume", "quotevolume", "trades",
      "number_of_trades", "trade_count", "count");
  private String pendingFirstLine; // a headerless file's first line is data
  private long lineNo;
  private Bar next;

  public static boolean isCandleFile(Path p) {
    return NAME.matcher(p.getFileName().toString()).matches();
  }

  /** A candle file's symbol (upper case) and interval, from its name {@code <SYMBOL>-<interval>[-anything].csv}. */
  public record Name(String symbol, String interval) {
    /** The name of {@code p}, or null if it is not a candle file's. */
    public static Name of(Path p) {
      Matcher m = NAME.matcher(p.getFileName().toString());
      return m.matches() ? new Name(m.group(1).toUpperCase(Locale.ROOT), m.group(2)) : null;
    }

    @Override
    public String toString() {
      return symbol + " " + interval;
    }
  }

  /**
   * Opens the file and reads its header; a file whose header or first line cannot be read is a
   * {@link FeedException}, its reader closed (it was left open: a node's feed that leaves such files
   * out kept a descriptor per attempt until a garbage collection).
   */
  public static CsvBarFile open(Path path, RejectCounts counts) {
    Name name = Name.of(path);
    if (name == null) {
      throw new FeedException("file " + path + ": name must be <SYMBOL>-<interval>.csv, e.g. BTCUSDT-1h.csv");
    }
    BufferedReader in;
    try {
      in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FeedException("cannot read candle file " + path + ": " + e.getMessage(), e);
    }
    try {
      return new CsvBarFile(path, counts, name, in);
    } catch (RuntimeException e) {
      try {
        in.close();
      } catch (IOException ignored) {
        // reading only
      }
      throw e;
    }
  }

  private CsvBarFile(Path path, RejectCounts counts, Name name, BufferedReader in) {
    this.path = path;
    this.counts = counts;
    this.symbol = name.symbol();
    this.interval = name.interval();
    this.in = in;
    String first = readLine();
    if (first != null && first.startsWith("\uFEFF")) first = first.substring(1); // a byte-order mark (spreadsheet exports)
    if (first == null) {
      kline = false;
      iTime = iOpen = iHigh = iLow = iClose = iVolume = iQuote = iTrades = columns = -1;
      return;
    }
    String[] f = first.split(",", -1);
    if (f.length >= 12 && looksNumeric(f[0])) {
      kline = true;
      columns = f.length;
      iTime = 0; iOpen = 1; iHigh = 2; iLow = 3; iClose = 4; iVolume = 5; iQuote = 7; iTrades = 8;
      pendingFirstLine = first;
    } else {
      kline = false;
      columns = f.length;
      int t = -1, o = -1, h = -1, l = -1, c = -1, v = -1, q = -1, n = -1;
      java.util.Map<String, Integer> named = new java.util.HashMap<>();
      for (int i = 0; i < f.length; i++) {
        String k = f[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
        Integer before = KNOWN_COLUMNS.contains(k) ? named.putIfAbsent(k, i) : null;
        if (before != null) {
          // which copy to read is a guess either way (the last close, the first time were taken: every row
          // was then blamed for its close, or the run went on without a word)
          throw new FeedException("file " + path + ": header '" + first + "' names " + k + " twice (columns " + (before + 1) + " and "
              + (i + 1) + ")");
        }
        switch (k) {
          case "date", "timestamp", "time", "open_time", "opentime", "datetime" -> { if (t < 0) t = i; }
          case "open" -> o = i;
          case "high" -> h = i;
          case "low" -> l = i;
          case "close" -> c = i;
          case "volume", "base_volume" -> v = i;
          case "quote_volume", "quote_asset_volume", "quotevolume" -> q = i;
          case "trades", "number_of_trades", "trade_count", "count" -> n = i;
          default -> { }
        }
      }
      if (t < 0 || o < 0 || h < 0 || l < 0 || c < 0 || v < 0) {
        throw new FeedException("file " + path + ": header '" + first + "' lacks one of time (date/timestamp), open, high, low, close, volume");
      }
      iTime = t; iOpen = o; iHigh = h; iLow = l; iClose = c; iVolume = v; iQuote = q; iTrades = n;
    }
  }

  public String symbol() {
    return symbol;
  }

  public String interval() {
    return interval;
  }

  public Path path() {
    return path;
  }

  /** The next valid bar, or null at the end of the file. */
  public Bar next() {
    if (next != null) {
      Bar b = next;
      next = null;
      return b;
    }
    return advance();
  }

  /** The next valid bar without consuming it, or null at the end. */
  public Bar peek() {
    if (next == null) next = advance();
    return next;
  }

  /**
   * The next bar in time order. A bar is held until the row after it is read. A row not after the held
   * bar is left out ({@link RejectReason#DUPLICATE_TIME}, {@link RejectReason#OUT_OF_ORDER_TIME}),
   * unless its time falls between the bar given before and the held one: then one of the two is out
   * of place, and the next row after the bar given tells which (rows not after it are left out on the
   * way). If that row is at or after the held bar, the row between is the stray one; if it falls
   * between the bar given and the held one too, the held bar is (a time typed years ahead: without
   * this, it was kept and every row after it left out as out of order).
   */
  private Bar advance() {
    while (true) {
      Bar b = nextValid();
      if (b == null) {
        Bar last = held;
        held = null;
        if (last != null) accept(last);
        return last;
      }
      if (held == null) {
        if (b.openTime() > given) held = b;
        else rejectNotAfterGiven(b);
        continue;
      }
      if (b.openTime() > held.openTime()) {
        Bar out = held;
        held = b;
        accept(out);
        return out;
      }
      if (b.openTime() == held.openTime()) {
        counts.reject(symbol, RejectReason.DUPLICATE_TIME);
      } else if (b.openTime() > given) {
        Bar after = nextValid();
        // a row not after the bar given is out of place itself and tells nothing: left out, the next read
        while (after != null && after.openTime() <= given) {
          rejectNotAfterGiven(after);
          after = nextValid();
        }
        counts.reject(symbol, RejectReason.OUT_OF_ORDER_TIME);
        if (after == null || after.openTime() >= held.openTime()) {
          // b is the stray row (or the file ends: as before, the held bar stays)
        } else {
          held = b; // the held bar is ahead of the rows on both sides of it
        }
        pushedBack = after;
      } else {
        rejectNotAfterGiven(b);
      }
    }
  }

  /** Leaves out a bar not after the bar given: a duplicate of its time, or out of order. */
  private void rejectNotAfterGiven(Bar b) {
    counts.reject(symbol, b.openTime() == given ? RejectReason.DUPLICATE_TIME : RejectReason.OUT_OF_ORDER_TIME);
  }

  private void accept(Bar b) {
    given = b.openTime();
    counts.accept(symbol);
  }

  /** The next row that is a bar with valid values (its time not checked yet), or null at the end. */
  private Bar nextValid() {
    if (pushedBack != null) {
      Bar b = pushedBack;
      pushedBack = null;
      return b;
    }
    if (columns < 0) return null;
    String line;
    while ((line = pendingFirstLine != null ? pendingFirstLine : readLine()) != null) {
      pendingFirstLine = null;
      if (line.isBlank()) continue;
      Bar b = parse(line);
      if (b == null) {
        counts.reject(symbol, RejectReason.UNPARSABLE);
        continue;
      }
      RejectReason r = BarValidator.checkValues(b);
      if (r != null) {
        counts.reject(symbol, r);
        continue;
      }
      return b;
    }
    return null;
  }

  private Bar parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length != columns) return null; // a field too many is a row out of shape too, not one to read by the header
    try {
      long t = parseTime(f[iTime].trim());
      if (t == Long.MIN_VALUE) return null;
      double o = num(f[iOpen]), h = num(f[iHigh]), l = num(f[iLow]), c = num(f[iClose]), v = num(f[iVolume]);
      if (iQuote >= 0) {
        long trades = iTrades >= 0 ? (long) num(f[iTrades]) : -1;
        return new Bar(symbol, interval, t, o, h, l, c, v, num(f[iQuote]), trades, false);
      }
      return Bar.of(symbol, interval, t, o, h, l, c, v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double num(String s) {
    String t = s.trim();
    if (t.isEmpty()) throw new NumberFormatException("empty");
    return com.quantumtrader.common.Numbers.parse(t);
  }

  private static boolean looksNumeric(String s) {
    String t = s.trim();
    if (t.isEmpty()) return false;
    for (int i = 0; i < t.length(); i++) if (!Character.isDigit(t.charAt(i))) return false;
    return true;
  }

  /**
   * Epoch milliseconds UTC, or Long.MIN_VALUE when unreadable. Digits only: a date {@code YYYYMMDD}
   * (8 digits), epoch seconds (9 to 11 digits), milliseconds (up to 14) or microseconds (more); fewer
   * digits are no time a candle has (an 8-digit date read as seconds was a day of 1970).
   */
  static long parseTime(String s) {
    if (s.isEmpty()) return Long.MIN_VALUE;
    if (looksNumeric(s)) {
      if (s.length() > 18 || s.length() < 8) return Long.MIN_VALUE;
      if (s.length() == 8) return parseTime(s.substring(0, 4) + "-" + s.substring(4, 6) + "-" + s.substring(6));
      long v = Long.parseLong(s);
      if (s.length() >= 15) return v / 1000; // microseconds
      if (s.length() >= 12) return v; // milliseconds
      return v * 1000; // seconds
    }
    // YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS[Z]
    if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') return Long.MIN_VALUE;
    int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
    int hh = 0, mm = 0, ss = 0;
    if (s.length() > 10) {
      char sep = s.charAt(10);
      if ((sep != ' ' && sep != 'T') || s.length() < 19 || s.charAt(13) != ':' || s.charAt(16) != ':') return Long.MIN_VALUE;
      hh = digits(s, 11, 2);
      mm = digits(s, 14, 2);
      ss = digits(s, 17, 2);
      String rest = s.substring(19);
      if (!(rest.isEmpty() || rest.equals("Z") || rest.equals("+00:00"))) return Long.MIN_VALUE;
    }
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
      return Long.MIN_VALUE;
    }
    try {
      return java.time.LocalDate.of(y, mo, d).toEpochDay() * 86_400_000L + (hh * 3600L + mm * 60L + ss) * 1000L;
    } catch (java.time.DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') return -1;
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  private String readLine() {
    try {
      String l = in.readLine();
      if (l != null) lineNo++;
      return l;
    } catch (java.nio.charset.CharacterCodingException e) {
      // the reader decodes a block ahead of the lines it returns: the line is found in the bytes
      long line = lineOfFirstMalformedByte(path);
      throw new FeedException("cannot read " + path + " at line " + (line > 0 ? line : lineNo + 1)
          + ": not UTF-8 text (a candle file is CSV text)", e);
    } catch (IOException e) {
      throw new FeedException("cannot read " + path + " at line " + (lineNo + 1) + ": " + e.getMessage(), e);
    }
  }

  /** The line (from 1) holding the first byte sequence that is not UTF-8, or 0 when none is found (or the file cannot be read). */
  static long lineOfFirstMalformedByte(Path file) {
    java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(1 << 16);
    java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(1 << 16);
    long line = 1;
    try (java.nio.channels.ReadableByteChannel ch = java.nio.file.Files.newByteChannel(file)) {
      boolean end = false;
      while (!end) {
        end = ch.read(bytes) < 0;
        bytes.flip();
        int from = bytes.position();
        java.nio.charset.CoderResult r = decoder.decode(bytes, chars, end);
        for (int i = from; i < bytes.position(); i++) if (bytes.get(i) == '\n') line++;
        if (r.isError()) return line;
        chars.clear();
        bytes.compact();
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do: we were only reading
    }
  }
}
