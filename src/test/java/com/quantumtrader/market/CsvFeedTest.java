package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class CsvFeedTest {

  static Path resource(String p) {
    try {
      return Path.of(CsvFeedTest.class.getResource("/market/" + p).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Bar> readAll(Path p, RejectCounts counts) {
    List<Bar> out = new ArrayList<>();
    try (CsvFolderFeed f = new CsvFolderFeed(p, counts)) {
      for (Bar b; (b = f.next()) != null; ) out.add(b);
    }
    return out;
  }

  @Test
  public void readsHeaderLayoutsWithDateTimeEpochMillisAndDateOnlyTimes() {
    RejectCounts c = new RejectCounts();
    List<Bar> btc = readAll(resource("real/BTCUSDT-1h.csv"), c);
    assertEquals(1500, btc.size());
    Bar first = btc.get(0);
    assertEquals("BTCUSDT", first.symbol());
    assertEquals("1h", first.interval());
    assertEquals(1640995200000L, first.openTime()); // 2022-01-01 00:00:00 UTC
    assertEquals(46216.93, first.open(), 0);
    assertEquals(46731.39, first.high(), 0);
    assertEquals(1503.33095, first.baseVolume(), 0);
    assertTrue(first.quoteVolumeEstimated());

    List<Bar> eth = readAll(resource("real/ETHUSDT-5m.csv"), c);
    assertEquals(400, eth.size());
    assertEquals(1640995200000L, eth.get(0).openTime());
    assertEquals(300_000L, eth.get(1).openTime() - eth.get(0).openTime());

    List<Bar> ada = readAll(resource("real/ADAUSDT-1h.csv"), c); // extra 'ticker' column ignored
    assertEquals(300, ada.size());

    List<Bar> aapl = readAll(resource("equities/AAPL-1d.csv"), c);
    assertEquals(200, aapl.size());
    assertEquals(java.time.LocalDate.of(2013, 2, 8).toEpochDay() * 86_400_000L, aapl.get(0).openTime());
    assertEquals(0, c.rejectedTotal());
  }

  /**
   * A spreadsheet's export: a UTF-8 byte-order mark before the header and CRLF line ends, read as the
   * plain file; a file that is not UTF-8 text is one clear error naming it.
   */
  @Test
  public void readsAFileWithAByteOrderMarkAndRefusesOneThatIsNotText() throws Exception {
    Path dir = Files.createTempDirectory("qt-feed-bom-");
    List<String> lines = Files.readAllLines(resource("real/BTCUSDT-1h.csv"));
    Files.writeString(dir.resolve("BTCUSDT-1h.csv"), "\uFEFF" + String.join("\r\n", lines) + "\r\n");
    RejectCounts c = new RejectCounts();
    assertEquals(readAll(resource("real/BTCUSDT-1h.csv"), new RejectCounts()), readAll(dir.resolve("BTCUSDT-1h.csv"), c));
    assertEquals(0, c.rejectedTotal());

    Files.write(dir.resolve("BIN-1d.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x81, 0x0a, (byte) 0xc3, 0x28});
    try {
      readAll(dir.resolve("BIN-1d.csv"), new RejectCounts());
      fail("read a binary file");
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("BIN-1d.csv at line 1: not UTF-8 text"));
    }
    // a bad byte far into the file (past the reader's read-ahead): its own line is named
    byte[] text = String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = 0;
    for (int n = 0; n < 1200; at++) if (text[at] == '\n') n++; // the start of line 1201
    text[at + 3] = (byte) 0xe9;
    Files.write(dir.resolve("LATE-1h.csv"), text);
    try {
      readAll(dir.resolve("LATE-1h.csv"), new RejectCounts());
      fail("read a file with a byte that is not UTF-8");
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("LATE-1h.csv at line 1201: not UTF-8 text"));
    }

    // A node's feed over the folder leaves both unreadable files out, one at the start and one far into it, and
    // delivers every bar of the good one (one corrupt file stopped every symbol's data); a backtest's stops.
    try {
      readAll(dir, new RejectCounts());
      fail("a backtest's feed read past an unreadable file");
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("not UTF-8 text"));
    }
    List<Bar> good = readAll(resource("real/BTCUSDT-1h.csv"), new RejectCounts());
    List<Bar> got = new java.util.ArrayList<>();
    java.util.Map<String, String> out;
    try (CsvFolderFeed feed = new CsvFolderFeed(dir, new RejectCounts(), n -> true, true)) {
      for (Bar b; (b = feed.next()) != null; ) if (b.symbol().equals("BTCUSDT")) got.add(b);
      out = feed.leftOut();
    }
    assertEquals(good, got);
    assertEquals(java.util.Set.of("BIN-1d.csv", "LATE-1h.csv"), out.keySet());
    assertTrue(out.toString(), out.get("LATE-1h.csv").contains("at line 1201: not UTF-8 text"));
    // nothing readable at all: that is still the feed's failure
    Path onlyBad = Files.createDirectories(dir.resolve("only-bad"));
    Files.copy(dir.resolve("BIN-1d.csv"), onlyBad.resolve("BIN-1d.csv"));
    try (CsvFolderFeed feed = new CsvFolderFeed(onlyBad, new RejectCounts(), n -> true, true)) {
      fail("a feed without one readable file started");
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("BIN-1d.csv at line 1: not UTF-8 text"));
    }
  }

  @Test
  public void readsRawKlineDumpsInMillisecondsAndMicroseconds() {
    RejectCounts c = new RejectCounts();
    List<Bar> ms = readAll(resource("kline-ms/BTCUSDT-5m-2022-01-01.csv"), c);
    List<Bar> us = readAll(resource("kline-us/BTCUSDT-5m-2022-01-01.csv"), c);
    assertEquals(288, ms.size());
    assertEquals(ms, us);
    Bar b = ms.get(0);
    assertEquals("BTCUSDT", b.symbol());
    assertEquals("5m", b.interval());
    assertEquals(1640995200000L, b.openTime());
    assertFalse("kline dumps carry the quote volume", b.quoteVolumeEstimated());
    assertEquals(0, b.tradeCount());
    assertEquals(0, c.rejectedTotal());
  }

  @Test
  public void countsEveryKindOfBadRowAndGoesOn() {
    RejectCounts c = new RejectCounts();
    List<Bar> bars = readAll(resource("bad/XYZUSDT-1h.csv"), c);
    assertEquals(4, bars.size());
    assertEquals(List.of(0L, 1L, 2L, 3L), bars.stream().map(b -> (b.openTime() - bars.get(0).openTime()) / 3_600_000L).toList());
    Map<RejectReason, Long> expected = Map.of(
        RejectReason.UNPARSABLE, 3L,
        RejectReason.NOT_FINITE, 2L,
        RejectReason.NON_POSITIVE_PRICE, 2L,
        RejectReason.HIGH_BELOW_LOW, 1L,
        RejectReason.OPEN_OR_CLOSE_OUTSIDE_RANGE, 2L,
        RejectReason.NEGATIVE_VOLUME, 1L,
        RejectReason.DUPLICATE_TIME, 1L,
        RejectReason.OUT_OF_ORDER_TIME, 1L);
    for (RejectReason r : RejectReason.values()) {
      assertEquals(r.name(), (long) expected.getOrDefault(r, 0L), c.rejected("XYZUSDT", r));
    }
    assertEquals(13, c.rejectedTotal());
    assertEquals(4, c.accepted("XYZUSDT"));
  }

  /**
   * Rows a person's edit or another tool's export leaves: a date as YYYYMMDD (read as a date, not as
   * epoch seconds of 1970), a field too many, a Java number suffix, a time typed years ahead (that
   * row left out, not the rows after it), a stray earlier row (left out, the rows around it kept).
   */
  @Test
  public void rowsOutOfShapeOrOutOfPlaceAreLeftOutAndTheRestKept() throws Exception {
    Path dir = Files.createTempDirectory("qt-feed-");
    Files.writeString(dir.resolve("ABC-1d.csv"), String.join("\n",
        "date,open,high,low,close,volume",
        "20240101,100,110,90,105,10",
        "20240102,105,112,101,110,12",
        "20240103,105,112,101,110,12,99", // a field too many
        "20240103,105,112,101,110d,12", // Java's suffix
        "2099-01-04,105,112,101,110,12", // typed years ahead
        "20240104,105,112,101,110,12",
        "20240105,105,112,101,110,12",
        "20240103,105,112,101,110,12", // a stray earlier row
        "20240106,105,112,101,110,12",
        "1234567,105,112,101,110,12", // seven digits: no time a candle has
        "20240132,105,112,101,110,12", // no such day
        "20240107,105,112,101,110,12") + "\n");
    RejectCounts c = new RejectCounts();
    List<Bar> bars = readAll(dir.resolve("ABC-1d.csv"), c);
    assertEquals(List.of("2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07"),
        bars.stream().map(b -> java.time.Instant.ofEpochMilli(b.openTime()).toString().substring(0, 10)).toList());
    assertEquals(4, c.rejected("ABC", RejectReason.UNPARSABLE));
    assertEquals(2, c.rejected("ABC", RejectReason.OUT_OF_ORDER_TIME));
    assertEquals(6, c.rejectedTotal());
    // a stray row followed by an older stray: the older one tells nothing and is skipped before deciding
    Files.writeString(dir.resolve("ABC-1d.csv"), "date,open,high,low,close,volume\n20240101,100,110,90,105,10\n"
        + "20240102,105,112,101,110,12\n20240105,105,112,101,110,12\n20240104,105,112,101,110,12\n20240101,105,112,101,110,12\n"
        + "20240106,105,112,101,110,12\n");
    RejectCounts strays = new RejectCounts();
    assertEquals(List.of("2024-01-01", "2024-01-02", "2024-01-05", "2024-01-06"), readAll(dir.resolve("ABC-1d.csv"), strays).stream()
        .map(b -> java.time.Instant.ofEpochMilli(b.openTime()).toString().substring(0, 10)).toList());
    assertEquals(2, strays.rejectedTotal());
    // a row years ahead at the end of a file: nothing after it to tell, kept as before
    Files.writeString(dir.resolve("ABC-1d.csv"), "date,open,high,low,close,volume\n20240101,100,110,90,105,10\n"
        + "2099-01-02,105,112,101,110,12\n");
    assertEquals(2, readAll(dir.resolve("ABC-1d.csv"), new RejectCounts()).size());
    // two rows ahead in a row: one row of look-ahead takes them for the file's time, and the rows after them
    // go out of order, as before
    Files.writeString(dir.resolve("ABC-1d.csv"), "date,open,high,low,close,volume\n20240101,100,110,90,105,10\n"
        + "2099-01-02,105,112,101,110,12\n2099-01-03,105,112,101,110,12\n20240102,105,112,101,110,12\n20240103,105,112,101,110,12\n");
    RejectCounts two = new RejectCounts();
    List<Bar> kept = readAll(dir.resolve("ABC-1d.csv"), two);
    assertEquals(kept.toString(), 3, kept.size());
    assertEquals(2, two.rejected("ABC", RejectReason.OUT_OF_ORDER_TIME));
  }

  @Test
  public void rejectsThePublishedDefectsOfRealEquityData() {
    RejectCounts c = new RejectCounts();
    List<Bar> dhr = readAll(resource("equities/DHR-1d.csv"), c);
    assertEquals(321 - 3, dhr.size());
    assertEquals(2, c.rejected("DHR", RejectReason.UNPARSABLE)); // empty price fields
    assertEquals(1, c.rejected("DHR", RejectReason.OPEN_OR_CLOSE_OUTSIDE_RANGE)); // open below low
  }

  @Test
  public void mergesAFolderInTimeOrder() throws Exception {
    Path dir = Files.createTempDirectory("qt-feed-");
    Files.copy(resource("real/BTCUSDT-1h.csv"), dir.resolve("BTCUSDT-1h.csv"));
    Files.copy(resource("real/ETHUSDT-5m.csv"), dir.resolve("ETHUSDT-5m.csv"));
    Files.writeString(dir.resolve("notes.txt"), "not candles");
    RejectCounts c = new RejectCounts();
    List<Bar> all = readAll(dir, c);
    assertEquals(1900, all.size());
    for (int i = 1; i < all.size(); i++) assertTrue(all.get(i - 1).openTime() <= all.get(i).openTime());
    try (CsvFolderFeed f = new CsvFolderFeed(dir, c)) {
      assertEquals(List.of("BTCUSDT", "ETHUSDT"), f.symbols());
    }
  }

  @Test
  public void aMissingFileOrEmptyFolderIsOneClearError() throws Exception {
    try {
      new CsvFolderFeed(Path.of("/nonexistent/market"), new RejectCounts());
      fail();
    } catch (FeedException e) {
      assertEquals("market data /nonexistent/market does not exist", e.getMessage());
    }
    Path empty = Files.createTempDirectory("qt-feed-");
    try {
      new CsvFolderFeed(empty, new RejectCounts());
      fail();
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("no <SYMBOL>-<interval>.csv files in"));
    }
    // a device or a FIFO named as a candle file: refused at once (a FIFO waited forever, /dev/zero ran out of memory)
    Path device = empty.resolve("ZERO-1h.csv");
    Files.createSymbolicLink(device, Path.of("/dev/null"));
    try {
      new CsvFolderFeed(device, new RejectCounts());
      fail();
    } catch (FeedException e) {
      assertEquals("market data " + device + " is not a regular file or a folder", e.getMessage());
    }
    Files.delete(device);
    Path noPrices = empty.resolve("ABC-1h.csv");
    Files.writeString(noPrices, "date,price\n2024-01-01,1\n");
    try {
      new CsvFolderFeed(noPrices, new RejectCounts());
      fail();
    } catch (FeedException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("lacks one of time"));
    }
    // a column named twice: which copy to read would be a guess
    for (String[] c : new String[][] {{"timestamp,open,high,low,close,volume,close", "close twice (columns 5 and 7)"},
        {"timestamp,open,high,low,close,volume,Timestamp", "timestamp twice (columns 1 and 7)"}}) {
      Path twice = empty.resolve("DUP-1h.csv");
      Files.writeString(twice, c[0] + "\n2024-01-01,1,2,0.5,1.5,10,3\n");
      try {
        new CsvFolderFeed(twice, new RejectCounts());
        fail(c[0]);
      } catch (FeedException e) {
        assertTrue(e.getMessage(), e.getMessage().endsWith(": header '" + c[0] + "' names " + c[1]));
      }
    }
    // a file refused for its header is closed (its reader stayed open until a garbage collection: a node's
    // feed that leaves such files out kept a descriptor per attempt)
    Path dup = empty.resolve("DUP-1h.csv");
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      for (int i = 0; i < 20; i++) {
        try {
          new CsvFolderFeed(dup, new RejectCounts()).close();
          fail();
        } catch (FeedException expected) {
          // refused
        }
      }
      long open = 0;
      try (var s = Files.list(fds)) {
        for (Path fd : s.toList()) {
          try {
            if (Files.readSymbolicLink(fd).toString().endsWith("DUP-1h.csv")) open++;
          } catch (java.io.IOException gone) {
            // closed meanwhile
          }
        }
      }
      assertEquals("descriptors still open on " + dup, 0, open);
    }
  }

  @Test
  public void parsesTheTimeFormatsOfTheDataSet() {
    assertEquals(1640995200000L, CsvBarFile.parseTime("2022-01-01 00:00:00"));
    assertEquals(1640995200000L, CsvBarFile.parseTime("2022-01-01T00:00:00Z"));
    assertEquals(1640995200000L, CsvBarFile.parseTime("2022-01-01"));
    assertEquals(1640995200000L, CsvBarFile.parseTime("1640995200000"));
    assertEquals(1640995200000L, CsvBarFile.parseTime("1640995200000000"));
    assertEquals(1640995200000L, CsvBarFile.parseTime("1640995200"));
    assertEquals(Long.MIN_VALUE, CsvBarFile.parseTime("2022-13-01"));
    assertEquals(Long.MIN_VALUE, CsvBarFile.parseTime("2022-02-30"));
    assertEquals(Long.MIN_VALUE, CsvBarFile.parseTime("yesterday"));
  }
}
