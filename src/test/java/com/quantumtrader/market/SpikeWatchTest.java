package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.strategy.BarArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The live feed's possible-bad-tick rule: a bar 3x or more from the close before it whose next bar
 * closes back. It names the same bars as the backtester's files ({@link BarArrays#spikes}).
 */
public class SpikeWatchTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final long H = 3_600_000L;

  private static Bar bar(String symbol, int hour, double low, double high, double close) {
    return Bar.of(symbol, "1h", hour * H, close, high, low, close, 1);
  }

  /** The spikes {@code watch} confirms over {@code bars}, as "SYMBOL@hour". */
  private static List<String> confirmed(SpikeWatch watch, Bar... bars) {
    List<String> out = new ArrayList<>();
    for (Bar b : bars) {
      SpikeWatch.Spike s = watch.observe(b);
      if (s != null) out.add(s.symbol() + "@" + s.openTime() / H);
    }
    return out;
  }

  @Test
  public void aBarThatJumpsAndComesBackIsConfirmedByTheNextBar() {
    SpikeWatch w = new SpikeWatch(3);
    assertNull(w.observe(bar("X", 0, 99, 101, 100)));
    assertNull(w.observe(bar("X", 1, 99, 301, 300))); // jumped: not known yet whether it comes back
    SpikeWatch.Spike s = w.observe(bar("X", 2, 99, 102, 101));
    assertEquals(new SpikeWatch.Spike("X", H, 100, 301, true, 101), s);
    assertEquals("X bar of 1970-01-01 01:00: high 301 after a close of 100, next close 101", s.describe());
    // a price beyond a market's digits in E form, not hundreds of zeros
    assertEquals("X bar of 1970-01-01 01:00: low 1.0E-300 after a close of 0.00000012, next close 1.0E20",
        new SpikeWatch.Spike("X", 3_600_000, 0.00000012, 1e-300, false, 1e20).describe());
  }

  @Test
  public void aLowThatJumpsDownIsNamedByItsLow() {
    SpikeWatch w = new SpikeWatch(3);
    SpikeWatch.Spike s = null;
    for (Bar b : new Bar[] {bar("X", 0, 99, 101, 100), bar("X", 1, 33, 101, 99), bar("X", 2, 98, 101, 100)}) {
      SpikeWatch.Spike got = w.observe(b);
      if (got != null) s = got;
    }
    assertEquals(new SpikeWatch.Spike("X", H, 100, 33, false, 100), s);
    // a bar all below the close before it (high = low = close) is named by its low
    SpikeWatch flat = new SpikeWatch(3);
    flat.observe(bar("X", 0, 50, 50, 50));
    flat.observe(bar("X", 1, 10, 10, 10));
    assertEquals("X bar of 1970-01-01 01:00: low 10 after a close of 50, next close 50", flat.observe(bar("X", 2, 50, 50, 50)).describe());
  }

  @Test
  public void aMoveThatStaysOrFallsShortIsNotNamed() {
    // a level that holds (a re-pricing, a split not adjusted): not back by the next bar
    assertEquals(List.of(), confirmed(new SpikeWatch(3), bar("X", 0, 99, 101, 100), bar("X", 1, 290, 310, 300),
        bar("X", 2, 290, 310, 305)));
    // 2.9x and back: under the factor
    assertEquals(List.of(), confirmed(new SpikeWatch(3), bar("X", 0, 99, 101, 100), bar("X", 1, 99, 291, 290),
        bar("X", 2, 99, 101, 100)));
    // exactly 3x and back: named
    assertEquals(List.of("X@1"), confirmed(new SpikeWatch(3), bar("X", 0, 99, 101, 100), bar("X", 1, 99, 300, 290),
        bar("X", 2, 99, 101, 100)));
    // the first bar of a symbol has no close before it; the last has no next bar
    assertEquals(List.of(), confirmed(new SpikeWatch(3), bar("X", 0, 99, 1000, 100), bar("X", 1, 99, 101, 100),
        bar("X", 2, 99, 1000, 500)));
  }

  @Test
  public void symbolsInterleavedAreWatchedApart() {
    // Y's bars between X's spike and X's return do not confirm it, nor does X's return confirm anything of Y
    assertEquals(List.of("X@1"), confirmed(new SpikeWatch(3),
        bar("X", 0, 99, 101, 100), bar("Y", 0, 9, 11, 10),
        bar("X", 1, 99, 400, 400), bar("Y", 1, 9, 11, 10),
        bar("Y", 2, 9, 11, 10), bar("X", 2, 99, 101, 100),
        bar("Y", 3, 9, 11, 10)));
  }

  @Test
  public void theFeedNamesTheBarsTheBacktesterNames() throws Exception {
    // real candles of three symbols: one-bar spikes planted in two, a two-bar plateau in one (not a
    // one-bar move), a near miss (2.5x) in the third
    Path dir = tmp.newFolder("spiked").toPath();
    plant("ADAUSDT-1h.csv", dir, Map.of(100, 4.0, 101, 1.0, 200, 5.0));
    plant("BTCUSDT-1h.csv", dir, Map.of(120, 0.2, 700, 10.0));
    plant("ETHUSDT-5m.csv", dir, Map.of(50, 2.5));
    Map<String, List<Long>> fromBacktester = new TreeMap<>();
    for (BarArrays b : BarArrays.load(dir)) {
      List<Long> times = new ArrayList<>();
      for (int i : b.spikes(SpikeWatch.FACTOR)) times.add(b.openTime(i));
      fromBacktester.put(b.symbol, times);
    }
    Map<String, List<Long>> fromFeed = new TreeMap<>();
    for (String s : fromBacktester.keySet()) fromFeed.put(s, new ArrayList<>());
    SpikeWatch w = new SpikeWatch(SpikeWatch.FACTOR);
    try (CsvFolderFeed feed = new CsvFolderFeed(dir, new RejectCounts())) {
      for (Bar b = feed.next(); b != null; b = feed.next()) {
        SpikeWatch.Spike s = w.observe(b);
        if (s != null) fromFeed.get(s.symbol()).add(s.openTime());
      }
    }
    assertEquals(fromBacktester, fromFeed);
    assertEquals(2, fromFeed.get("BTCUSDT").size());
    assertEquals(1, fromFeed.get("ADAUSDT").size()); // the plateau of rows 100-101 is not named
    assertTrue(fromFeed.get("ETHUSDT").isEmpty());
  }

  /**
   * Copies a real slice to {@code dir}, each row {@code r} of {@code factors} (after the header) with
   * its high, low and close set to the close before it times the factor: a one-bar move and back,
   * unless the next row is planted too.
   */
  private static void plant(String file, Path dir, Map<Integer, Double> factors) throws Exception {
    List<String> rows = new ArrayList<>(Files.readAllLines(Path.of("src/test/resources/market/real", file)));
    for (var e : new TreeMap<>(factors).entrySet()) {
      String[] before = rows.get(e.getKey() - 1).split(","), f = rows.get(e.getKey()).split(",");
      double c = Double.parseDouble(before[4]) * e.getValue();
      f[1] = Double.toString(c); // open
      f[2] = Double.toString(c); // high
      f[3] = Double.toString(c); // low
      f[4] = Double.toString(c); // close
      rows.set(e.getKey(), String.join(",", f));
    }
    Files.write(dir.resolve(file), rows);
  }

  @Test
  public void theFactorMustBeAboveOne() {
    for (double f : new double[] {1, 0.5, Double.NaN}) {
      try {
        new SpikeWatch(f);
        throw new AssertionError("accepted " + f);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().startsWith("factor must be > 1"));
      }
    }
  }
}
