package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Assume;
import org.junit.Test;

/**
 * The whole shared market data set (../shared/data/market, 363 files, about 1.5 M rows): every
 * published defect listed in its SOURCES.md is rejected with the right reason, and nothing else.
 * Skipped, with a message, where the shared data is not beside the checkout (a user's fresh clone).
 */
public class SharedDataSetTest {
  private static final Path DATA = Path.of("..", "shared", "data", "market");

  @Test
  public void rejectsExactlyThePublishedDefectsOfTheSharedDataSet() {
    if (!Files.isDirectory(DATA)) {
      String msg = "SKIPPED: " + DATA.toAbsolutePath().normalize() + " not found (the shared market data is not beside this checkout)";
      System.err.println(msg);
      Assume.assumeTrue(msg, false);
    }
    RejectCounts counts = new RejectCounts();
    long bars = 0;
    long lastTime = Long.MIN_VALUE;
    try (CsvFolderFeed feed = new CsvFolderFeed(DATA, counts)) {
      assertEquals(351, feed.symbols().size()); // 337 equities + 14 crypto pairs (1h and 5m share a symbol)
      for (Bar b; (b = feed.next()) != null; bars++) {
        assertTrue("time order", b.openTime() >= lastTime);
        lastTime = b.openTime();
      }
    }
    // SOURCES.md, "Known quirks": rows with empty price fields, and rows whose high/low do not bracket open/close.
    Map<String, Map<RejectReason, Long>> expected = new TreeMap<>();
    for (String t : new String[] {"BHF", "ES", "FTV", "REGN", "UA", "VRTX"}) put(expected, t, RejectReason.UNPARSABLE, 1);
    put(expected, "DHR", RejectReason.UNPARSABLE, 2);
    for (String t : new String[] {"BBY", "CHD", "DHR", "IP", "LNT", "SPG", "UA"}) put(expected, t, RejectReason.OPEN_OR_CLOSE_OUTSIDE_RANGE, 1);
    put(expected, "AOS", RejectReason.HIGH_BELOW_LOW, 1); // AOS's row has high below low as well
    assertEquals(expected, counts.snapshot());
    assertEquals(16, counts.rejectedTotal());
    assertTrue("about 1.5 million bars, got " + bars, bars > 1_400_000);
  }

  private static void put(Map<String, Map<RejectReason, Long>> m, String t, RejectReason r, long n) {
    m.computeIfAbsent(t, k -> new EnumMap<>(RejectReason.class)).put(r, n);
  }
}
