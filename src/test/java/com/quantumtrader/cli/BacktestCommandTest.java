package com.quantumtrader.cli;

import static com.quantumtrader.cli.CliTest.cli;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quantumtrader.strategy.BacktestResult;
import com.quantumtrader.strategy.Backtester;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.StrategySpec;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.strategy.WalkForward;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The local commands, backtest and evolve, in-process on the committed BTCUSDT hourly slice. Every
 * chart goes to a temporary folder ({@link #backtest}); a test that leaves one in the working folder
 * (the repository root under Maven) fails.
 */
public class BacktestCommandTest {
  private static final String DATA = "src/test/resources/market/real/BTCUSDT-1h.csv";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CHARTS = new AtomicInteger();
  private static Path dir;
  private Map<Path, FileTime> chartsBefore;

  @BeforeClass
  public static void tempDir() throws Exception {
    dir = Files.createTempDirectory("qt-backtest-");
  }

  @Before
  public void noteChartsInTheWorkingFolder() throws IOException {
    chartsBefore = chartsInTheWorkingFolder();
  }

  @After
  public void noChartWasWrittenToTheWorkingFolder() throws IOException {
    assertEquals("a test wrote a chart into the working folder " + Path.of("").toAbsolutePath()
        + "; give it --chart in the temporary folder or --no-chart", chartsBefore, chartsInTheWorkingFolder());
  }

  private static Map<Path, FileTime> chartsInTheWorkingFolder() throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().matches("backtest-.*\\.html?")) m.put(f, Files.getLastModifiedTime(f));
      }
    }
    return m;
  }

  /** {@code backtest} with the args; without --chart or --no-chart among them, the chart goes to a new file in the temporary folder. */
  /** An empty entry in --params says so (it said "--params:  is not NAME=VALUE", with nothing between). */
  @Test
  public void anEmptyParamsEntryIsNamed() {
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--params", "fast=9,,slow=40", "--data", DATA, "--no-chart");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.toString(), r.toString().contains("--params: an empty entry (two commas in a row, or one at an end)"));
  }

  private static CliTest.Result backtest(String... args) {
    List<String> all = new ArrayList<>(List.of("backtest"));
    all.addAll(Arrays.asList(args));
    if (!all.contains("--no-chart") && all.stream().noneMatch(a -> a.equals("--chart") || a.startsWith("--chart="))) {
      all.add("--chart");
      all.add(dir.resolve("chart-" + CHARTS.incrementAndGet() + ".html").toString());
    }
    return cli(all.toArray(String[]::new));
  }

  @Test
  public void backtestPrintsMetricsAndTradesAndWritesTheChart() throws Exception {
    Path chart = dir.resolve("chart.html");
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--chart", chart.toString());
    assertEquals(r.toString(), 0, r.exit());
    for (String label : new String[] {"total return:", "Sharpe:", "Sortino:", "max drawdown:", "win rate:", "profit factor:",
        "exposure:", "trades:", "final equity:", "bars:", "period:", "trades by exit:", "best trade:", "average loss:"}) {
      assertTrue(label + " in\n" + r.out(), r.out().contains(label));
    }
    assertTrue(r.out(), r.out().contains("bars:          1500"));
    assertTrue(r.out(), r.out().contains("last 10 of "));
    assertTrue(r.out(), r.out().contains("EXIT BY"));
    assertTrue(r.out(), r.out().contains("chart: " + chart.toAbsolutePath().normalize()));
    assertTrue(Files.exists(chart));
    assertTrue(Files.readString(chart).contains("<svg"));
  }

  @Test
  public void namedParamsAreAppliedAndReportedInJson() throws Exception {
    CliTest.Result r = backtest("--strategy", "TREND_EMA_CROSS", "--params", "fast=5,slow=20", "--data", DATA,
        "--no-chart", "--json", "--from", "2022-02-01", "--to", "2022-02-28");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(5, j.path("params").path("fast").asInt());
    assertEquals(20, j.path("params").path("slow").asInt());
    assertEquals(14, j.path("params").path("atrPeriod").asInt()); // the default
    assertEquals("2022-02-01T00:00:00Z", j.path("from").asText());
    assertEquals("2022-02-28T23:00:00Z", j.path("to").asText());
    assertEquals(j.path("trades").size(), j.path("metrics").path("trades").asInt());
    assertTrue(j.path("chart").isNull());

    CliTest.Result defaults = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json");
    assertFalse("fast=5,slow=20 trades differently from the defaults",
        JSON.readTree(defaults.out()).path("metrics").equals(j.path("metrics")));
  }

  /**
   * Walk-forward over the 62.5 days of hourly candles, 20 days to train and 10 to test: four windows
   * whose test periods follow each other; the summary chains the test windows' own figures; one symbol
   * only, no chart (--no-chart is allowed, --chart refused), and a malformed or too long window is
   * refused naming the flag.
   */
  @Test
  public void walkForwardReportsEachWindowInAndOutOfSampleAndTheTestWindowsTogether() throws Exception {
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10", "--no-chart", "--json");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    assertEquals("one symbol is a list of one, as in a plain backtest's report", "[\"BTCUSDT\"]", j.path("symbols").toString());
    assertEquals("[\"BTCUSDT\"]", JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json").out())
        .path("symbols").toString());
    JsonNode ws = j.path("windows");
    assertEquals(4, ws.size());
    assertEquals("2022-01-21T00:00:00Z", ws.get(0).at("/test/from").asText());
    assertEquals("2022-01-30T23:00:00Z", ws.get(0).at("/test/to").asText());
    assertEquals(240, ws.get(0).at("/test/bars").asInt());
    assertEquals(480, ws.get(0).at("/train/bars").asInt());
    double growth = 1;
    int trades = 0, profitable = 0;
    for (int k = 0; k < ws.size(); k++) {
      if (k > 0) {
        assertEquals("the test windows tile the history", java.time.Instant.parse(ws.get(k - 1).at("/test/to").asText())
            .plusSeconds(3600).toString(), ws.get(k).at("/test/from").asText());
      }
      double ret = ws.get(k).at("/test/metrics/totalReturn").asDouble();
      growth *= 1 + ret;
      if (ret > 0) profitable++;
      trades += ws.get(k).at("/test/metrics/trades").asInt();
    }
    assertEquals(growth - 1, j.at("/outOfSample/compoundedReturn").asDouble(), 1e-12);
    assertEquals(trades, j.at("/outOfSample/trades").asInt());
    assertEquals(profitable, j.at("/outOfSample/profitable").asInt());
    assertTrue(r.out(), trades > 0);
    // the test windows chained: a loss carried from one window into the next is one drawdown, deeper
    // than any single window's on these bars
    double chained = j.at("/outOfSample/chainedMaxDrawdown").asDouble(), worst = j.at("/outOfSample/worstDrawdown").asDouble();
    for (JsonNode w : ws) assertTrue(r.out(), w.at("/test/metrics/maxDrawdown").asDouble() <= worst);
    assertTrue(chained + " chained, " + worst + " worst in one window", chained > worst);
    assertEquals(1500 - 24 * 60, j.path("untestedBars").asInt()); // tested up to day 60; 2.5 days left, too few for a window

    CliTest.Result text = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10", "--no-chart");
    assertEquals(text.toString(), 0, text.exit());
    assertTrue(text.out(), text.out().contains("20 days to train, 10 to test, 4 windows"));
    assertTrue(text.out(), text.out().lines().anyMatch(l -> l.trim().startsWith("4  2022-01-31..2022-02-19")));
    assertTrue(text.out(), text.out().contains("of 4 test windows profitable, " + trades + " trades"));
    assertTrue(text.out(), text.out().lines().anyMatch(l -> l.matches("max drawdown:\\s+" + String.format(java.util.Locale.ROOT, "%.2f",
        100 * chained) + "% over the test windows chained; worst in one window " + String.format(java.util.Locale.ROOT, "%.2f", 100 * worst) + "%")));

    assertEquals(0, j.path("skippedWindows").asInt());
    assertEquals(0, j.path("skippedWindowNumbers").size());
    assertEquals(1, j.path("windows").get(0).path("number").asInt());
    assertTrue(text.out(), text.out().lines().anyMatch(l -> l.matches("skipped windows:\\s+none")));

    // the days 30 to 39 cut out: the second window has no test bars and is left out, numbered as a hole
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(DATA))) {
      if (line.compareTo("2022-01-31") >= 0 && line.compareTo("2022-02-10") < 0) continue;
      rows.add(line);
    }
    Path holed = Files.createDirectories(dir.resolve("holed")).resolve("BTCUSDT-1h.csv");
    Files.write(holed, rows);
    CliTest.Result gap = backtest("--strategy", "trend-ema-cross", "--data", holed.toString(), "--walk-forward", "20:10", "--no-chart");
    assertEquals(gap.toString(), 0, gap.exit());
    assertTrue(gap.out(), gap.out().contains("3 windows (and 1 without bars, left out)"));
    assertTrue(gap.out(), gap.out().lines().anyMatch(l -> l.startsWith("skipped windows:") && l.contains("1 (#2)")));
    assertTrue(gap.out(), gap.out().lines().anyMatch(l -> l.trim().startsWith("3  2022-01-21..2022-01-30") && l.contains("2022-02-10..2022-02-19")));

    // thirty days, then nothing until one bar on day 50: windows #6 to #9 fit in the time the candles
    // span but hold no bars; they are listed although no kept window follows them
    List<String> head = new ArrayList<>(Files.readAllLines(Path.of(DATA)).subList(0, 721));
    head.add("2022-02-20 00:00:00,40000,40100,39900,40050,10");
    Path trailing = Files.createDirectories(dir.resolve("trailing")).resolve("BTCUSDT-1h.csv");
    Files.write(trailing, head);
    CliTest.Result tail = backtest("--strategy", "trend-ema-cross", "--data", trailing.toString(), "--walk-forward", "5:5", "--no-chart");
    assertEquals(tail.toString(), 0, tail.exit());
    assertTrue(tail.out(), tail.out().contains("5 windows (and 4 without bars, left out)"));
    assertTrue(tail.out(), tail.out().lines().anyMatch(l -> l.startsWith("skipped windows:") && l.contains("4 (#6, #7, #8, #9)")));

    for (String[] bad : new String[][] {{"--walk-forward", "20"}, {"--walk-forward", "0:10"}, {"--walk-forward", "20:x"},
        {"--walk-forward", "36501:10"}, {"--walk-forward", "20:10", "--chart", dir.resolve("wf.png").toString()}}) {
      List<String> args = new ArrayList<>(List.of("--strategy", "trend-ema-cross", "--data", DATA));
      args.addAll(List.of(bad));
      CliTest.Result e = backtest(args.toArray(String[]::new));
      assertEquals(e.toString(), 2, e.exit());
      assertTrue(e.err(), e.err().contains(bad.length > 2 ? "--chart" : "--walk-forward"));
    }
    // hourly bars, test windows of one day: 24 bars each, no warning
    CliTest.Result fine = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:1", "--no-chart");
    assertFalse(fine.err(), fine.err().contains("single bar"));
    // daily bars (each day's first hourly bar), one-day test windows: a single bar each, said
    List<String> hourly = Files.readAllLines(Path.of(DATA));
    List<String> daily = new ArrayList<>(List.of(hourly.get(0)));
    for (int i = 1; i < hourly.size(); i += 24) daily.add(hourly.get(i));
    Path dailyFile = Files.createDirectories(dir.resolve("daily")).resolve("BTCUSDT-1d.csv");
    Files.write(dailyFile, daily);
    CliTest.Result single = backtest("--strategy", "trend-ema-cross", "--params", "fast=3,slow=8", "--data", dailyFile.toString(),
        "--walk-forward", "20:1", "--no-chart");
    assertEquals("nothing can trade in any window: " + single, 2, single.exit());
    assertTrue(single.err(), single.err().contains("--walk-forward 20:1: every test window holds a single bar, on which nothing can trade"));
    // some windows of a single bar (a day's one bar in the file): said, and the run goes on
    List<String> thinned = new ArrayList<>(hourly.subList(0, 1 + 24 * 30));
    for (int i = 1 + 24 * 30; i < hourly.size(); i += 24) thinned.add(hourly.get(i));
    Path thinFile = Files.createDirectories(dir.resolve("thinned")).resolve("BTCUSDT-1h.csv");
    Files.write(thinFile, thinned);
    CliTest.Result some = backtest("--strategy", "trend-ema-cross", "--params", "fast=3,slow=8", "--data", thinFile.toString(),
        "--walk-forward", "20:1", "--no-chart");
    assertEquals(some.toString(), 0, some.exit());
    assertTrue(some.err(), some.err().matches("(?s).*quantum-trader: \\d+ test windows of \\d+ have a single bar, on which nothing can trade.*"));
    CliTest.Result tooLong = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "60:10", "--no-chart");
    assertEquals(tooLong.toString(), 2, tooLong.exit());
    assertTrue(tooLong.err(), tooLong.err().contains("do not hold one window of 70 days"));
  }

  /** BTCUSDT's hourly slice and ADAUSDT's real hourly candles moved to start on BTCUSDT's day 15, in a folder. */
  private static Path overlapping() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("overlapping"));
    Files.copy(Path.of(DATA), folder.resolve("BTCUSDT-1h.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<String> ada = Files.readAllLines(Path.of(DATA).getParent().resolve("ADAUSDT-1h.csv"));
    List<String> moved = new ArrayList<>(List.of(ada.get(0)));
    java.time.LocalDateTime t = java.time.LocalDateTime.parse("2022-01-16T00:00:00");
    for (String row : ada.subList(1, ada.size())) {
      moved.add(t.toString().replace('T', ' ') + ":00" + row.substring(row.indexOf(',')));
      t = t.plusHours(1);
    }
    Files.write(folder.resolve("ADAUSDT-1h.csv"), moved);
    return folder;
  }

  /** A portfolio holds at most --max-positions positions at once (default the NORMAL policy's 10), named in the report. */
  @Test
  public void aPortfolioHoldsAtMostMaxPositions() throws Exception {
    Path folder = overlapping();
    // every entry signal taken (--min-confidence 0): with the default minimum the two never hold positions at once on these bars
    JsonNode free = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--json",
        "--min-confidence", "0").out());
    assertEquals(10, free.at("/costs/maxPositions").asInt());
    assertTrue("both symbols hold a position at once", overlaps(free.path("trades")));
    CliTest.Result one = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--json",
        "--max-positions", "1", "--min-confidence", "0");
    assertEquals(one.toString(), 0, one.exit());
    JsonNode j = JSON.readTree(one.out());
    assertEquals(1, j.at("/costs/maxPositions").asInt());
    assertFalse(overlaps(j.path("trades")));
    CliTest.Result text = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--max-positions", "1");
    assertTrue(text.out(), text.out().contains("risk 1.00% per trade, at most 1 positions"));
    CliTest.Result zero = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--max-positions", "0");
    assertEquals(zero.toString(), 2, zero.exit());
    assertTrue(zero.err(), zero.err().contains("--max-positions must be a whole number from 1 to 1000, got 0"));
  }

  /**
   * A portfolio's symbols that are left out are named: files without one valid candle (empty, a
   * header only), and symbols without candles in --from/--to.
   */
  @Test
  public void symbolsLeftOutOfAPortfolioAreNamed() throws Exception {
    Path folder = overlapping();
    Files.writeString(folder.resolve("EMPTYUSDT-1h.csv"), "");
    Files.writeString(folder.resolve("HEADUSDT-1h.csv"), "timestamp,open,high,low,close,volume\n");
    try {
      CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart");
      assertEquals(r.toString(), 0, r.exit());
      assertTrue(r.err(), r.err().contains("left out, without one valid candle: EMPTYUSDT-1h, HEADUSDT-1h"));
      assertTrue(r.out(), r.out().contains("on ADAUSDT,BTCUSDT 1h (portfolio of 2)"));
      // chosen alone, such a file is an error that names it (not only its folder)
      CliTest.Result alone = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "emptyusdt", "--no-chart");
      assertEquals(alone.toString(), 2, alone.exit());
      assertTrue(alone.err(), alone.err().contains("--data: no valid candles in EMPTYUSDT-1h.csv in " + folder));
    } finally {
      Files.delete(folder.resolve("EMPTYUSDT-1h.csv"));
      Files.delete(folder.resolve("HEADUSDT-1h.csv"));
    }
    // ADAUSDT's moved candles end on 2022-01-28
    CliTest.Result late = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--from", "2022-02-01");
    assertEquals(late.toString(), 0, late.exit());
    assertTrue(late.err(), late.err().contains("left out, without candles on or after --from 2022-02-01: ADAUSDT"));
    assertTrue(late.out(), late.out().contains("backtest trend-ema-cross on BTCUSDT 1h"));
  }

  /**
   * Candles too few for the strategy to trade (its warm-up, then the bar a signal fills on) are an
   * error for a single symbol, and named on stderr for a portfolio's symbol; one bar more trades.
   */
  @Test
  public void tooFewCandlesToTradeAreAnErrorOrNamed() throws Exception {
    List<String> rows = Files.readAllLines(Path.of(DATA));
    Path folder = Files.createDirectories(dir.resolve("short"));
    Path file = folder.resolve("BTCUSDT-1h.csv");
    // slow=26: 26 bars of warm-up, a signal on bar 27 fills on bar 28
    Files.write(file, rows.subList(0, 1 + 27));
    CliTest.Result one = backtest("--strategy", "trend-ema-cross", "--data", file.toString(), "--no-chart");
    assertEquals(one.toString(), 2, one.exit());
    assertTrue(one.err(), one.err().contains("too few candles to trade: BTCUSDT has 27 bars; trend-ema-cross (fast=12 slow=26"));
    assertTrue(one.err(), one.err().contains("warms up on its first 26 bars and fills a signal on the bar after it, so it needs at least 28"));
    assertFalse(one.err(), one.err().contains("Usage:")); // a data error: the message alone
    CliTest.Result missing = backtest("--strategy", "trend-ema-cross", "--data", folder.resolve("nowhere").toString(), "--no-chart");
    assertEquals(missing.toString(), 2, missing.exit());
    assertTrue(missing.err(), missing.err().startsWith("quantum-trader: --data: market data ") && !missing.err().contains("Usage:"));
    CliTest.Result shorter = backtest("--strategy", "trend-ema-cross", "--params", "fast=5,slow=20", "--data", file.toString(), "--no-chart");
    assertEquals(shorter.toString(), 0, shorter.exit());
    Files.write(file, rows.subList(0, 1 + 28));
    CliTest.Result enough = backtest("--strategy", "trend-ema-cross", "--data", file.toString(), "--no-chart");
    assertEquals(enough.toString(), 0, enough.exit());
    assertFalse(enough.err(), enough.err().contains("too few"));

    Files.write(file, rows.subList(0, 1 + 10));
    Files.copy(Path.of(DATA).getParent().resolve("ADAUSDT-1h.csv"), folder.resolve("ADAUSDT-1h.csv"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CliTest.Result portfolio = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart");
    assertEquals(portfolio.toString(), 0, portfolio.exit());
    assertTrue(portfolio.err(), portfolio.err().contains("too few candles to trade, in the portfolio but never trading: BTCUSDT has 10 bars;"));
    assertTrue(portfolio.out(), portfolio.out().contains("(portfolio of 2)"));
    // --from counts the bars it leaves
    String last = rows.get(rows.size() - 1).substring(0, 10);
    CliTest.Result late = backtest("--strategy", "trend-ema-cross", "--data", Path.of(DATA).toString(), "--no-chart", "--from", last);
    assertEquals(late.toString(), 2, late.exit());
    assertTrue(late.err(), late.err().contains("too few candles on or after --from " + last + " to trade: BTCUSDT has "));
  }

  /**
   * A figure that is not defined says why in the text report (NaN stays NaN in --json): a run without
   * a trade, and one whose only trade won (no profit factor without a loss).
   */
  @Test
  public void undefinedFiguresSayWhy() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("undefined"));
    // falling 1 a bar, rising 10 a bar for 10 bars, then falling 5 a bar: one EMA-cross trade, a winner
    List<String> rows = new ArrayList<>(List.of("timestamp,open,high,low,close,volume"));
    double close = 300;
    java.time.LocalDateTime t = java.time.LocalDateTime.parse("2024-01-01T00:00:00");
    for (int i = 0; i < 90; i++) {
      double open = close;
      close += i < 40 ? -1 : i < 50 ? 10 : -5;
      rows.add(t.toString().replace('T', ' ') + ":00," + open + "," + (Math.max(open, close) + 0.5) + "," + (Math.min(open, close) - 0.5)
          + "," + close + ",100");
      t = t.plusHours(1);
    }
    Files.write(folder.resolve("UPUSDT-1h.csv"), rows);
    CliTest.Result won = backtest("--strategy", "trend-ema-cross", "--params", "fast=3,slow=8,atrPeriod=3", "--data",
        folder.resolve("UPUSDT-1h.csv").toString(), "--no-chart");
    assertEquals(won.toString(), 0, won.exit());
    assertTrue(won.out(), won.out().contains("trades:        1\n") && won.out().contains("win rate:      100.00%"));
    assertTrue(won.out(), won.out().contains("profit factor: n/a (no losing trade)"));
    JsonNode j = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--params", "fast=3,slow=8,atrPeriod=3", "--data",
        folder.resolve("UPUSDT-1h.csv").toString(), "--no-chart", "--json").out());
    assertEquals("NaN", j.at("/metrics/profitFactor").asText());

    // slow=60 on 90 bars: the only cross up comes before its warm-up ends, so nothing trades
    CliTest.Result none = backtest("--strategy", "trend-ema-cross", "--params", "fast=30,slow=60", "--data",
        folder.resolve("UPUSDT-1h.csv").toString(), "--no-chart");
    assertEquals(none.toString(), 0, none.exit());
    assertTrue(none.out(), none.out().contains("trades:        0\n") && none.out().contains("Sharpe:        n/a (no trade)")
        && none.out().contains("win rate:      n/a (no closed trade)") && none.out().contains("profit factor: n/a (no closed trade)"));
  }

  /** Many symbols are summarized in headings and messages (the first five and how many more), not listed in full. */
  @Test
  public void manySymbolsAreSummarized() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("many"));
    for (int i = 0; i < 10; i++) Files.copy(Path.of(DATA), folder.resolve("S" + i + "USDT-1h.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.out(), r.out().contains("on S0USDT,S1USDT,S2USDT,S3USDT,S4USDT and 5 more 1h (portfolio of 10)"));
    CliTest.Result few = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--no-chart", "--to", "2022-01-01");
    assertEquals(few.toString(), 2, few.exit());
    assertTrue(few.err(), few.err().contains("to trade: S0USDT has 24 bars, S1USDT has 24 bars, S2USDT has 24 bars, S3USDT has 24 bars,"
        + " S4USDT has 24 bars and 5 more;"));
    CliTest.Result evolve = cli("evolve", "--strategy", "trend-ema-cross", "--data", folder.toString());
    assertEquals(evolve.toString(), 2, evolve.exit());
    assertTrue(evolve.err(), evolve.err().startsWith("--data holds 10 symbols (S0USDT, S1USDT, S2USDT, S3USDT, S4USDT and 5 more): choose"
        + " one with --symbol"));
  }

  /** `evolve` refuses candles too few for the template's default parameters to trade, as `backtest` does. */
  @Test
  public void evolveRefusesTooFewCandles() throws Exception {
    List<String> rows = Files.readAllLines(Path.of(DATA));
    Path folder = Files.createDirectories(dir.resolve("few"));
    Path file = folder.resolve("BTCUSDT-1h.csv");
    Files.write(file, rows.subList(0, 1 + 19)); // 13 to train, 6 out of sample
    CliTest.Result r = cli("evolve", "--strategy", "trend-ema-cross", "--data", file.toString(), "--population", "4", "--generations", "1");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("too few candles to evolve: the training window has 13 bars and the out-of-sample window 6;"
        + " trend-ema-cross with its default parameters (fast=12 slow=26 atrPeriod=14 stopAtr=2 takeProfitAtr=0) warms up on 26 bars"));
    Files.write(file, rows.subList(0, 1 + 1));
    CliTest.Result one = cli("evolve", "--strategy", "trend-ema-cross", "--data", file.toString());
    assertEquals(one.toString(), 2, one.exit());
    assertEquals("quantum-trader: too few candles to evolve: BTCUSDT 1h has 1 bar, too few to split into a training and an"
        + " out-of-sample window at 0.7", one.err().strip());
    Files.write(file, rows.subList(0, 1 + 41)); // 28 to train, 13 out of sample
    CliTest.Result enough = cli("evolve", "--strategy", "trend-ema-cross", "--data", file.toString(), "--population", "4",
        "--generations", "1");
    assertEquals(enough.toString(), 0, enough.exit());
    // walk-forward: a window too short is named before the search starts (1 day of hourly bars to train, 1 to test)
    Files.write(file, rows.subList(0, 1 + 72));
    CliTest.Result wf = cli("evolve", "--strategy", "trend-ema-cross", "--data", file.toString(), "--walk-forward", "1:1",
        "--population", "4", "--generations", "1");
    assertEquals(wf.toString(), 2, wf.exit());
    assertTrue(wf.err(), wf.err().contains("no window to evolve on; window #1 (training 2022-01-01..2022-01-01, testing"
        + " 2022-01-02..2022-01-02): too few candles to evolve: the training window has 24 bars"));
    assertFalse(wf.err(), wf.err().contains("Usage:"));
    // 7 days with one bar on day 4: window #1 (3 days to train, day 4 to test) is left out, named; the others run
    List<String> gap = new ArrayList<>(rows.subList(0, 1 + 24 * 7));
    gap.subList(1 + 24 * 3 + 1, 1 + 24 * 4).clear();
    Files.write(file, gap);
    CliTest.Result some = cli("evolve", "--strategy", "trend-ema-cross", "--data", file.toString(), "--walk-forward", "3:1",
        "--population", "4", "--generations", "1");
    assertEquals(some.toString(), 0, some.exit());
    assertTrue(some.err(), some.err().contains("left out, 1 window with too few candles (#1); the first: window #1 (training"
        + " 2022-01-01..2022-01-03, testing 2022-01-04..2022-01-04): too few candles to evolve: the training window has 72 bars and the"
        + " out-of-sample window 1;"));
    assertTrue(some.out(), some.out().contains("skipped windows:        1 (#1): no bars, or too few to evolve on"));
  }

  /** Whether two of the trades were open at the same time. */
  private static boolean overlaps(JsonNode trades) {
    for (JsonNode a : trades) {
      for (JsonNode b : trades) {
        if (a == b) continue;
        java.time.Instant aIn = java.time.Instant.parse(a.path("entryTime").asText()), aOut = java.time.Instant.parse(a.path("exitTime").asText());
        java.time.Instant bIn = java.time.Instant.parse(b.path("entryTime").asText());
        if (!bIn.isBefore(aIn) && bIn.isBefore(aOut)) return true;
      }
    }
    return false;
  }

  /**
   * The walk-forward chart: the test windows' equity one after the other, each window's curve scaled
   * to start where the one before ended, so that it ends at the capital times the chained return the
   * report prints.
   */
  @Test
  public void walkForwardChartsTheTestWindowsChained() throws Exception {
    Path chart = dir.resolve("wf.html");
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10", "--chart", chart.toString(),
        "--json");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(chart.toAbsolutePath().normalize().toString(), j.path("chart").asText());
    String html = Files.readString(chart);
    assertTrue(html, html.contains("<svg") && html.contains("the test windows chained")
        && html.contains(StrategyInputs.percent(j.at("/outOfSample/compoundedReturn").asDouble())));

    BarArrays b = BarArrays.loadOne(Path.of(DATA));
    List<BacktestResult> tests = WalkForward.run(new Backtester(Backtester.Config.defaults()),
        StrategySpec.defaults("d", Template.TREND_EMA_CROSS), WalkForward.rollingByTime(b, 20 * 86_400_000L, 10 * 86_400_000L))
        .stream().map(WalkForward.WindowResult::test).toList();
    WalkForwardReport.Curve curve = WalkForwardReport.chainedTestCurve(tests, 10_000);
    long[] t = curve.times();
    double[] e = curve.equity();
    assertEquals(tests.stream().mapToInt(x -> x.equity().length).sum(), e.length);
    for (int k = 1; k < t.length; k++) assertTrue("one after the other", t[k] > t[k - 1]);
    assertEquals(10_000, e[0], 1e-9);
    double growth = 1;
    int at = 0;
    for (BacktestResult x : tests) {
      assertEquals("a window starts where the one before ended", 10_000 * growth, e[at], 1e-6);
      growth *= 1 + x.metrics().totalReturn();
      at += x.equity().length;
    }
    assertEquals(10_000 * growth, e[e.length - 1], 1e-6);
    assertEquals(j.at("/outOfSample/compoundedReturn").asDouble(), e[e.length - 1] / 10_000 - 1, 1e-12);

    CliTest.Result text = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10", "--no-chart");
    assertFalse(text.out(), text.out().contains("chart:"));
  }

  /**
   * Several symbols walk forward as one portfolio in each window, on the same days: BTCUSDT and
   * ADAUSDT's real hourly candles moved to start on BTCUSDT's day 15. ADAUSDT is traded in the
   * windows whose days hold its bars, so the first test window differs from BTCUSDT's alone.
   */
  @Test
  public void walkForwardOnSeveralSymbolsRunsThemAsOnePortfolioInEachWindow() throws Exception {
    Path folder = overlapping();

    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--walk-forward", "20:10", "--no-chart",
        "--json");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(List.of("ADAUSDT", "BTCUSDT"), JSON.convertValue(j.path("symbols"), List.class));
    JsonNode ws = j.path("windows");
    assertEquals(4, ws.size()); // BTCUSDT's days decide the slots, as alone
    assertEquals("2022-01-21T00:00:00Z", ws.get(0).at("/test/from").asText());
    double growth = 1;
    for (int k = 0; k < ws.size(); k++) growth *= 1 + ws.get(k).at("/test/metrics/totalReturn").asDouble();
    assertEquals(growth - 1, j.at("/outOfSample/compoundedReturn").asDouble(), 1e-12);
    assertEquals(1500 - 24 * 60, j.path("untestedBars").asInt()); // ADAUSDT's 300 bars end on day 27, inside the tested days
    assertEquals(List.of("BTCUSDT"), JSON.convertValue(j.path("untestedSymbols"), List.class));

    JsonNode alone = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10", "--no-chart",
        "--json").out()).path("windows");
    assertFalse("ADAUSDT traded in the first test window", alone.get(0).at("/test/metrics").equals(ws.get(0).at("/test/metrics")));
    assertEquals("after ADAUSDT's days, BTCUSDT alone", alone.get(3).at("/test/metrics"), ws.get(3).at("/test/metrics"));

    CliTest.Result text = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--walk-forward", "20:10", "--no-chart");
    assertEquals(text.toString(), 0, text.exit());
    assertTrue(text.out(), text.out().contains("on ADAUSDT,BTCUSDT 1h (portfolio of 2)") && text.out().contains("4 windows"));
    assertTrue(text.out(), text.out().contains("the last 60 bars of BTCUSDT (after 2022-03-01 23:00), in no test window"));

    // a symbol too short to trade is named, as in a plain backtest
    Path shortAda = folder.resolve("ADAUSDT-1h.csv");
    List<String> ada = Files.readAllLines(shortAda);
    Files.write(shortAda, ada.subList(0, 20));
    try {
      CliTest.Result few = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--walk-forward", "20:10", "--no-chart");
      assertEquals(few.toString(), 0, few.exit());
      assertTrue(few.err(), few.err().contains("too few candles to trade, in the portfolio but never trading: ADAUSDT has 19 bars"));
    } finally {
      Files.write(shortAda, ada);
    }

    // the committed folder's ADAUSDT (April 2021) and BTCUSDT (2022): the slots from ADAUSDT's first day,
    // those in the months between without bars left out
    CliTest.Result apart = backtest("--strategy", "trend-ema-cross", "--data", Path.of(DATA).getParent().toString(),
        "--interval", "1h", "--walk-forward", "20:10", "--no-chart");
    assertEquals(apart.toString(), 0, apart.exit());
    assertTrue(apart.out(), apart.out().contains("5 windows (and 26 without bars, left out)"));
    assertTrue(apart.out(), apart.out().contains("skipped windows:        26 (#1, #2, #3, #4, #5, #6, #7, #8, #9, #10, ...): no bars in"
        + " their training or test days"));
    JsonNode apartJson = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", Path.of(DATA).getParent().toString(),
        "--interval", "1h", "--walk-forward", "20:10", "--no-chart", "--json").out());
    assertEquals(26, apartJson.path("skippedWindowNumbers").size());
    assertEquals(1, apartJson.path("skippedWindowNumbers").get(0).asInt());
    assertEquals(List.of(27, 28, 29, 30, 31), java.util.stream.StreamSupport.stream(apartJson.path("windows").spliterator(), false)
        .map(w -> w.path("number").asInt()).toList());
  }

  @Test
  public void unknownOrOutOfRangeParamIsAUsageErrorNamingIt() {
    CliTest.Result unknown = backtest("--strategy", "trend-ema-cross", "--params", "fastest=5", "--data", DATA, "--no-chart");
    assertEquals(unknown.toString(), 2, unknown.exit());
    assertTrue(unknown.err(), unknown.err().contains("--params: trend-ema-cross has no param fastest"));

    CliTest.Result range = backtest("--strategy", "trend-ema-cross", "--params", "stopAtr=50", "--data", DATA, "--no-chart");
    assertEquals(range.toString(), 2, range.exit());
    assertTrue(range.err(), range.err().contains("--params: trend-ema-cross: stopAtr = 50 is outside"));

    CliTest.Result fraction = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--train-fraction", "1");
    assertEquals(fraction.toString(), 2, fraction.exit());
    assertTrue(fraction.err(), fraction.err().startsWith("--train-fraction must be a fraction in (0, 1), e.g. 0.7, got 1"));

    CliTest.Result template = backtest("--strategy", "moon", "--data", DATA, "--no-chart");
    assertEquals(template.toString(), 2, template.exit());
    assertTrue(template.err(), template.err().contains("unknown template moon"));
  }

  /** Rows that are not valid bars are left out and counted on stderr; a parameter given twice, or a risk past the policy's range, is refused. */
  @Test
  public void badRowsAreLeftOutAndSaidAndBadOptionsAreRefused() throws Exception {
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of(DATA)).subList(0, 400));
    lines.set(10, lines.get(10).replaceFirst(",[^,]+,", ",NaN,"));
    lines.set(20, lines.get(20).replaceFirst(",[^,]+,", ",-5,"));
    lines.set(30, "garbage row");
    Path bad = Files.createDirectories(dir.resolve("bad")).resolve("BTCUSDT-1h.csv");
    Files.write(bad, lines);
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", bad.toString(), "--no-chart", "--json");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().contains("left out 3 rows that are not valid bars: BTCUSDT 1 UNPARSABLE, 1 NOT_FINITE, 1 NON_POSITIVE_PRICE"));
    assertEquals(396, JSON.readTree(r.out()).path("bars").asInt());
    CliTest.Result evolve = cli("evolve", "--strategy", "trend-ema-cross", "--data", bad.toString(), "--population", "4",
        "--generations", "1", "--seed", "1");
    assertTrue(evolve.err(), evolve.err().contains("left out 3 rows"));

    CliTest.Result twice = backtest("--strategy", "trend-ema-cross", "--params", "fast=5,fast=7", "--data", DATA, "--no-chart");
    assertEquals(twice.toString(), 2, twice.exit());
    assertTrue(twice.err(), twice.err().contains("--params: fast is given twice"));
    CliTest.Result risk = backtest("--strategy", "trend-ema-cross", "--risk", "5", "--data", DATA, "--no-chart");
    assertEquals(risk.toString(), 2, risk.exit());
    assertTrue(risk.err(), risk.err().contains("--risk must be a fraction of equity in (0, 0.1]"));
  }

  /** A bad day or window names the flag, the value and what is expected, without Java's exception names. */
  @Test
  public void badDaysAndAnEmptyWindowNameTheFlags() {
    CliTest.Result month = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--from", "2024-13-01");
    assertEquals(month.toString(), 2, month.exit());
    assertTrue(month.err(), month.err().contains("--from': '2024-13-01' is not a day; expected YYYY-MM-DD (UTC)"));
    assertFalse(month.err(), month.err().contains("java.") || month.err().contains("Exception"));
    CliTest.Result to = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--to", "01/02/2022");
    assertEquals(to.toString(), 2, to.exit());
    assertTrue(to.err(), to.err().contains("--to': '01/02/2022' is not a day; expected YYYY-MM-DD (UTC)"));

    CliTest.Result reversed = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--from", "2024-06-01", "--to", "2024-01-01");
    assertEquals(reversed.toString(), 2, reversed.exit());
    assertTrue(reversed.err(), reversed.err().contains("--from 2024-06-01 is after --to 2024-01-01"));

    CliTest.Result after = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--from", "2024-01-01");
    assertEquals(after.toString(), 2, after.exit());
    assertTrue(after.err(), after.err().contains("no candles on or after --from 2024-01-01 in " + DATA
        + ": it covers 2022-01-01 00:00 .. 2022-03-04 11:00 (UTC)"));
  }

  /** Capital, fee and slippage out of range are refused with the flag and the value; a 60 % slippage is a typo, not a market. */
  @Test
  public void capitalFeeAndSlippageOutOfRangeNameTheFlag() {
    String[][] cases = {
        {"--capital", "0", "--capital must be an amount > 0 and at most 1e15, got 0"},
        {"--capital", "NaN", "--capital must be an amount > 0 and at most 1e15, got NaN"},
        {"--capital", "1e300", "--capital must be an amount > 0 and at most 1e15, got 1e300"},
        {"--capital", "2.5e16", "--capital must be an amount > 0 and at most 1e15, got 2.5e16"},
        {"--risk", "1e3", "--risk must be a fraction of equity in (0, 0.1] (the policy's range), got 1000"},
        {"--risk", "-1e-7", "--risk must be a fraction of equity in (0, 0.1] (the policy's range), got -1e-7"},
        {"--fee", "-0.001", "--fee must be a fraction of notional in [0, 0.1) (0.001 is 0.1 %), got -0.001"},
        {"--fee", "0.1", "--fee must be a fraction of notional in [0, 0.1)"},
        {"--slippage", "0.6", "--slippage must be a fraction of price in [0, 0.1) (0.0005 is 0.05 %), got 0.6"},
        {"--slippage", "-1", "--slippage must be a fraction of price in [0, 0.1)"},
        {"--min-confidence", "1.5", "--min-confidence must be in [0, 1], got 1.5"},
        {"--min-confidence", "-0.1", "--min-confidence must be in [0, 1], got -0.1"}};
    for (String[] c : cases) {
      CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, c[0], c[1]);
      assertEquals(c[0] + " " + c[1] + ": " + r, 2, r.exit());
      assertTrue(c[0] + " " + c[1] + ": " + r.err(), r.err().contains(c[2]));
      // the message and where the options are, not the whole usage under which it scrolls away
      assertFalse(c[0] + " " + c[1] + ": " + r.err(), r.err().contains("Usage:"));
      assertTrue(c[0] + " " + c[1] + ": " + r.err(), r.err().contains("See 'quantum-trader backtest --help' for its options."));
    }
    CliTest.Result edge = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--fee", "0.0999", "--slippage", "0");
    assertEquals(edge.toString(), 0, edge.exit());

    String help = cli("backtest", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help, help.contains("--fee=RATE Fee per fill, a fraction of notional in [0, 0.1)"));
    assertTrue(help, help.contains("a fraction of price in [0, 0.1)"));
    // the templates' parameters, as --params names them, with their defaults and ranges
    assertTrue(help, help.contains("Templates and their --params (default, range): trend-ema-cross fast 12 2..200, whole number"));
    assertTrue(help, help.contains("mean-reversion rsiPeriod 14 2..100, whole number rsiEntry 30 5..50"));
    String evolveHelp = cli("evolve", "--help").out().replaceAll("\\s+", " ");
    assertTrue(evolveHelp, evolveHelp.contains("donchian-breakout entryPeriod 20 2..400, whole number"));
    CliTest.Result notANumber = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--params", "fast=abc");
    assertEquals(notANumber.toString(), 2, notANumber.exit());
    assertTrue(notANumber.err(), notANumber.err().startsWith("--params: fast=abc: the value is not a number"));
  }

  /**
   * Entries below the minimum confidence are not taken, as the risk gate refuses them: by default the
   * NORMAL policy's 0.65; 0 takes every entry signal, so more trades. Evolve applies it too.
   */
  @Test
  public void entriesBelowTheMinimumConfidenceAreNotTaken() throws Exception {
    JsonNode gatedRun = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json").out());
    assertEquals(0.65, gatedRun.at("/costs/minConfidence").asDouble(), 0);
    // each trade names the stop placed at its entry (the defaults have no take-profit)
    JsonNode first = gatedRun.path("trades").get(0);
    assertTrue(first.toString(), first.path("stop").asDouble() > 0 && first.path("stop").asDouble() < first.path("entryPrice").asDouble());
    assertEquals(first.toString(), "NaN", first.path("takeProfit").asText());
    int gated = gatedRun.at("/metrics/trades").asInt();
    int every = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json",
        "--min-confidence", "0").out()).at("/metrics/trades").asInt();
    assertTrue(gated + " trades with the default minimum, " + every + " without", gated > 0 && gated < every);
    BarArrays b = BarArrays.loadOne(Path.of(DATA));
    StrategySpec spec = StrategySpec.defaults("trend-ema-cross", Template.TREND_EMA_CROSS);
    assertEquals(new Backtester(cliConfig(0.65)).run(spec, b).trades().size(), gated);
    assertEquals(new Backtester(cliConfig(0)).run(spec, b).trades().size(), every);
    CliTest.Result evolve = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "4", "--generations", "1",
        "--seed", "1", "--min-confidence", "2");
    assertEquals(evolve.toString(), 2, evolve.exit());
    assertTrue(evolve.err(), evolve.err().contains("--min-confidence must be in [0, 1], got 2"));
  }

  /** The backtest command's defaults (10 positions at most), with this minimum confidence. */
  private static Backtester.Config cliConfig(double minConfidence) {
    return new Backtester.Config(10_000, new com.quantumtrader.strategy.FillRules.Costs(0.001, 0.0005), Backtester.Sizing.risk(0.01, 1.0, 10),
        true, minConfidence);
  }

  /**
   * A bar that spikes 3 times or more from the close before it and comes back on the next passes every
   * row check and a backtest trades on it: it is named on stderr as a possible bad tick, and kept. The
   * real candles have none.
   */
  @Test
  public void aOneBarSpikeIsNamedAsAPossibleBadTick() throws Exception {
    List<String> rows = new ArrayList<>(Files.readAllLines(Path.of(DATA)));
    String[] f = rows.get(500).split(",");
    double close = Double.parseDouble(f[4]);
    f[2] = Double.toString(close * 1000); // high
    f[4] = Double.toString(close * 1000); // close
    rows.set(500, String.join(",", f));
    Path spiked = Files.createDirectories(dir.resolve("spiked")).resolve("BTCUSDT-1h.csv");
    Files.write(spiked, rows);
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", spiked.toString(), "--no-chart");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().contains("quantum-trader: BTCUSDT: 1 bar moves 3x or more from the close before and back by the next bar"
        + " (a bad tick?), kept: " + f[0].substring(0, 16) + " (high "));
    CliTest.Result clean = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart");
    assertFalse(clean.err(), clean.err().contains("bad tick"));
  }

  /**
   * A time mistyped: years ahead in the middle of a file, the row is left out and the rows after it
   * kept; years early in the first row, the gap is named (the annualized figures shrink with it).
   */
  @Test
  public void aMistypedTimeIsLeftOutOrNamed() throws Exception {
    List<String> rows = new ArrayList<>(Files.readAllLines(Path.of(DATA)));
    String[] f = rows.get(700).split(",");
    f[0] = "2099-01-01 00:00:00";
    rows.set(700, String.join(",", f));
    Path ahead = Files.createDirectories(dir.resolve("ahead")).resolve("BTCUSDT-1h.csv");
    Files.write(ahead, rows);
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", ahead.toString(), "--no-chart");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().contains("left out 1 row"));
    assertTrue(r.err(), r.err().contains("OUT_OF_ORDER_TIME"));
    assertFalse(r.out(), r.out().contains("2099"));
    assertTrue(r.out(), r.out().lines().anyMatch(l -> l.matches("bars: +1499")));

    rows = new ArrayList<>(Files.readAllLines(Path.of(DATA)));
    f = rows.get(1).split(",");
    String firstTime = f[0];
    f[0] = "2000-01-01 00:00:00";
    rows.set(1, String.join(",", f));
    Path early = Files.createDirectories(dir.resolve("early")).resolve("BTCUSDT-1h.csv");
    Files.write(early, rows);
    r = backtest("--strategy", "trend-ema-cross", "--data", early.toString(), "--no-chart");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().contains("quantum-trader: BTCUSDT: 1 gap of more than 30 days between bars (a mistyped time?), kept:"
        + " 2000-01-01 00:00 .. " + rows.get(2).substring(0, 16) + " (8,036 days); Sharpe and Sortino are annualized over the whole span"));
    CliTest.Result clean = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart");
    assertFalse(clean.err(), clean.err().contains("gap"));
    assertTrue(firstTime, firstTime.startsWith("2022-01-01"));
  }

  /**
   * Windows too short for the strategy's warm-up: refused when no window can trade (it printed 0
   * trades in every window and exited 0), named when some cannot.
   */
  @Test
  public void walkForwardWindowsShorterThanTheWarmUpAreRefusedOrNamed() throws Exception {
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--params", "fast=200,slow=400", "--data", DATA, "--walk-forward", "10:5",
        "--no-chart");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("--walk-forward 10:5: no window can trade: trend-ema-cross with fast=200 slow=400 atrPeriod=14"
        + " stopAtr=2 takeProfitAtr=0 warms up on 400 bars and fills a signal on the bar after: a window needs 402 bars in its training"
        + " and test days together, and the longest holds 360: give more days"));
    // 12:6 days hold 432 hourly bars; with 200 rows taken out of the middle, the windows over the hole hold fewer than 402
    List<String> rows = new ArrayList<>(Files.readAllLines(Path.of(DATA)));
    rows.subList(700, 900).clear();
    Path holed = Files.createDirectories(dir.resolve("holed")).resolve("BTCUSDT-1h.csv");
    Files.write(holed, rows);
    r = backtest("--strategy", "trend-ema-cross", "--params", "fast=200,slow=400", "--data", holed.toString(), "--walk-forward", "12:6",
        "--no-chart");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().matches("(?s).*quantum-trader: \\d windows? of \\d cannot trade: trend-ema-cross with fast=200.*"));
    CliTest.Result whole = backtest("--strategy", "trend-ema-cross", "--params", "fast=200,slow=400", "--data", DATA, "--walk-forward",
        "12:6", "--no-chart");
    assertFalse(whole.err(), whole.err().contains("cannot trade"));
  }

  /** The trades table shows a coin priced at a fraction of a cent, and a quantity of millions or of millionths, as they are. */
  @Test
  public void tradePricesAndQuantitiesKeepTheirDigitsAtAnyScale() {
    assertEquals("37316.2588", StrategyInputs.price(37316.25883));
    assertEquals("0.0000380844", StrategyInputs.price(3.808441e-5));
    assertEquals("0.5", StrategyInputs.price(0.5));
    assertEquals("0.119427", StrategyInputs.quantity(0.1194271));
    assertEquals("78249039.819696", StrategyInputs.quantity(78249039.8196961));
    assertEquals("0.00000119427", StrategyInputs.quantity(1.194271e-6));
    assertEquals("0.000000", StrategyInputs.quantity(0));
  }

  /** Two files of one series whose times overlap (a copy under another case) are named, not "open times not increasing at bar 1". */
  @Test
  public void overlappingFilesOfOneSeriesAreNamed() throws Exception {
    Path both = Files.createDirectories(dir.resolve("both"));
    Files.copy(Path.of(DATA), both.resolve("BTCUSDT-1h.csv"));
    Files.copy(Path.of(DATA), both.resolve("btcusdt-1h-copy.csv"));
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", both.toString(), "--no-chart");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("--data: BTCUSDT 1h: the files BTCUSDT-1h.csv, btcusdt-1h-copy.csv overlap (each has a bar at"
        + " 2022-01-01T00:00:00Z): keep one of them, or parts that do not overlap"));
    // parts that do not overlap are one series
    List<String> rows = Files.readAllLines(Path.of(DATA));
    Path parts = Files.createDirectories(dir.resolve("parts"));
    Files.write(parts.resolve("BTCUSDT-1h-a.csv"), rows.subList(0, 700));
    List<String> rest = new ArrayList<>(List.of(rows.get(0)));
    rest.addAll(rows.subList(700, rows.size()));
    Files.write(parts.resolve("BTCUSDT-1h-b.csv"), rest);
    CliTest.Result whole = backtest("--strategy", "trend-ema-cross", "--data", parts.toString(), "--no-chart");
    assertEquals(whole.toString(), 0, whole.exit());
    assertTrue(whole.out(), whole.out().lines().anyMatch(l -> l.matches("bars: +1500")));
  }

  /**
   * A folder that exists and takes no file (/proc: writable by its mode for root): said as it is, not
   * as a folder that does not exist, and after the report, which a chart's path does not cost.
   */
  @Test
  public void aChartThatCannotBeMadeIsSaidAfterTheReport() {
    org.junit.Assume.assumeTrue("needs /proc", Files.isDirectory(Path.of("/proc")));
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--chart", "/proc/qt-chart.html");
    assertTrue(r.toString(), r.exit() != 0);
    if (Files.isWritable(Path.of("/proc"))) { // root
      assertEquals(r.toString(), 1, r.exit());
      assertTrue(r.err(), r.err().contains("cannot write the chart /proc/qt-chart.html: no file can be made in /proc"));
      assertTrue(r.out(), r.out().contains("total return:"));
    } else {
      assertTrue(r.err(), r.err().contains("the folder /proc is not writable"));
    }
  }

  /** --json says which rows were left out, as stderr does (a JSON reader does not read stderr). */
  @Test
  public void theJsonReportCountsTheRowsLeftOut() throws Exception {
    List<String> rows = new ArrayList<>(Files.readAllLines(Path.of(DATA)));
    rows.set(10, rows.get(10) + ",99"); // a field too many
    Path one = Files.createDirectories(dir.resolve("onebad")).resolve("BTCUSDT-1h.csv");
    Files.write(one, rows);
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", one.toString(), "--no-chart", "--json");
    assertEquals(r.toString(), 0, r.exit());
    assertEquals("{\"BTCUSDT\":{\"UNPARSABLE\":1}}", mapper.readTree(r.out()).get("rowsLeftOut").toString());
    CliTest.Result wf = backtest("--strategy", "trend-ema-cross", "--data", one.toString(), "--no-chart", "--json", "--walk-forward", "20:10");
    assertEquals("{\"BTCUSDT\":{\"UNPARSABLE\":1}}", mapper.readTree(wf.out()).get("rowsLeftOut").toString());
    CliTest.Result clean = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json");
    assertEquals("{}", mapper.readTree(clean.out()).get("rowsLeftOut").toString());
    CliTest.Result ev = cli("evolve", "--strategy", "trend-ema-cross", "--data", one.toString(), "--population", "10", "--generations", "1",
        "--json");
    assertEquals(ev.toString(), 0, ev.exit());
    assertEquals("{\"BTCUSDT\":{\"UNPARSABLE\":1}}", mapper.readTree(ev.out()).get("rowsLeftOut").toString());
  }

  /** Asking for a chart and for none is a usage error, not a silent choice of one. */
  @Test
  public void chartAndNoChartTogetherAreAUsageError() {
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--chart", dir.resolve("x.html").toString());
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("and --no-chart ask for a chart and for none: give one of them"));
    assertFalse(Files.exists(dir.resolve("x.html")));
  }

  /** --chart is checked before the candles are read: an .html (or .htm) file in a folder that exists. */
  @Test
  public void chartPathIsCheckedBeforeTheRun() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CliTest.Result folder = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--chart", missing.resolve("x.html").toString());
    assertEquals(folder.toString(), 2, folder.exit());
    assertTrue(folder.err(), folder.err().contains("--chart: cannot write " + missing.resolve("x.html") + ": the folder " + missing
        + " does not exist"));

    Path png = dir.resolve("equity.png");
    // a missing --data as well: the chart is refused first, so nothing was read or run
    CliTest.Result notHtml = backtest("--strategy", "trend-ema-cross", "--data", dir.resolve("nothing-here").toString(),
        "--chart", png.toString());
    assertEquals(notHtml.toString(), 2, notHtml.exit());
    assertTrue(notHtml.err(), notHtml.err().contains("--chart: " + png + " does not end in .html or .htm"));
    assertFalse(Files.exists(png));

    CliTest.Result aFolder = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--chart", Files.createDirectories(
        dir.resolve("a-folder.html")).toString());
    assertEquals(aFolder.toString(), 2, aFolder.exit());
    assertTrue(aFolder.err(), aFolder.err().contains("is a folder"));

    Path htm = dir.resolve("equity.HTM");
    CliTest.Result ok = backtest("--strategy", "trend-ema-cross", "--data", DATA, "--chart", htm.toString(), "--to", "2022-01-10");
    assertEquals(ok.toString(), 0, ok.exit());
    assertTrue(Files.readString(htm).contains("<svg"));
  }

  /** A chart that cannot be written says why (the NIO exception's message is only the path). */
  @Test
  public void aChartWriteFailureSaysWhy() {
    Path file = dir.resolve("gone").resolve("x.html");
    try {
      EquityChart.write(file, "t", new long[] {0}, new double[] {1}, Map.of());
      throw new AssertionError("written into a missing folder");
    } catch (IOException e) {
      assertTrue(e.toString(), e instanceof NoSuchFileException);
      assertEquals("the folder " + dir.resolve("gone") + " does not exist", EquityChart.reason(e));
    }
  }

  /**
   * The report has the fees paid and the position still open after the last bar with its unrealized
   * PnL (final equity less capital and closed trades' PnL); --json has both, and the equity curve.
   */
  @Test
  public void reportHasFeesTheOpenPositionAndJsonTheEquityCurve() throws Exception {
    String[] open = {"--strategy", "trend-ema-cross", "--data", DATA, "--to", "2022-01-25"};
    JsonNode j = JSON.readTree(backtest(append(open, "--no-chart", "--json")).out());
    double fees = 0, pnl = 0;
    for (JsonNode t : j.path("trades")) {
      fees += t.path("fees").asDouble();
      pnl += t.path("pnl").asDouble();
    }
    assertTrue(fees > 0);
    assertEquals(fees, j.path("feesPaid").asDouble(), 1e-9);
    // slippage (default 0.0005): the entries paid it on the open, the exits other than take-profits gave it up
    double slip = 0;
    for (JsonNode t : j.path("trades")) {
      double q = t.path("quantity").asDouble();
      slip += q * t.path("entryPrice").asDouble() * 0.0005 / 1.0005;
      if (!t.path("exitBy").asText().equals("TAKE_PROFIT")) slip += q * t.path("exitPrice").asDouble() * 0.0005 / 0.9995;
    }
    assertTrue(slip > 0);
    assertEquals(slip, j.path("slippageCost").asDouble(), 1e-9);
    assertEquals(0, JSON.readTree(backtest(append(open, "--no-chart", "--json", "--slippage", "0")).out()).path("slippageCost").asDouble(), 0);
    assertTrue("a position is open at 2022-01-25 23:00 with these params", j.path("openAtEnd").asBoolean());
    double unrealized = j.path("metrics").path("finalEquity").asDouble() - 10_000 - pnl;
    assertEquals(unrealized, j.path("unrealizedPnl").asDouble(), 1e-6);
    JsonNode position = j.path("openPositions").get(0);
    assertEquals(1, j.path("openPositions").size());
    assertEquals("BTCUSDT", position.path("symbol").asText());
    assertEquals(unrealized, position.path("unrealizedPnl").asDouble(), 1e-6);
    assertEquals(position.path("quantity").asDouble() * (position.path("lastClose").asDouble() - position.path("entryPrice").asDouble())
        - position.path("entryFee").asDouble(), unrealized, 1e-6);
    assertTrue(position.path("entryTime").asText().compareTo("2022-01-25T23:00:00Z") <= 0);

    JsonNode curve = j.path("equity");
    assertEquals(j.path("bars").asInt(), curve.size());
    assertEquals("2022-01-01T00:00:00Z", curve.get(0).path("time").asText());
    assertEquals(10_000, curve.get(0).path("equity").asDouble(), 1e-9);
    assertEquals("2022-01-25T23:00:00Z", curve.get(curve.size() - 1).path("time").asText());
    assertEquals(j.path("metrics").path("finalEquity").asDouble(), curve.get(curve.size() - 1).path("equity").asDouble(), 1e-9);

    CliTest.Result text = backtest(open);
    assertEquals(text.toString(), 0, text.exit());
    assertTrue(text.out(), text.out().contains("fees paid:     " + StrategyInputs.money(fees) + " (closed trades)"));
    assertTrue(text.out(), text.out().contains("slippage cost: " + StrategyInputs.money(slip) + " (closed trades:"));
    assertTrue(text.out(), text.out().contains("open at end:   BTCUSDT " + StrategyInputs.number(position.path("quantity").asDouble())
        + " since " + position.path("entryTime").asText().substring(0, 16).replace('T', ' ') + " at "));
    assertTrue(text.out(), text.out().contains("unrealized PnL " + StrategyInputs.money(unrealized) + " (entry fee included;"));
    assertTrue(Files.readString(Path.of(text.out().lines().filter(l -> l.startsWith("chart: ")).findFirst().orElseThrow().substring(7)))
        .contains("unrealized PnL"));

    JsonNode flat = JSON.readTree(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--to", "2022-01-20", "--no-chart",
        "--json").out());
    assertFalse(flat.path("openAtEnd").asBoolean());
    assertTrue(flat.path("unrealizedPnl").isNull());
    assertEquals(0, flat.path("openPositions").size());
    assertTrue(backtest("--strategy", "trend-ema-cross", "--data", DATA, "--to", "2022-01-20", "--no-chart").out()
        .contains("open at end:   none"));
  }

  /**
   * A default from an environment variable that does not convert names the variable, not the option
   * the operator did not give (a child JVM: this one's environment cannot be set).
   */
  @Test
  public void aBadEnvironmentDefaultNamesTheVariable() throws Exception {
    String[] evolve = {"evolve", "--strategy", "trend-ema-cross", "--data", DATA};
    Process p = launcher(Map.of("QT_SG_POPULATION_SIZE", "abc"), evolve);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(err, 2, p.exitValue());
    assertTrue(err, err.contains("Invalid value for environment variable QT_SG_POPULATION_SIZE=abc (the default of --population):"
        + " 'abc' is not an int; correct or unset QT_SG_POPULATION_SIZE, or give --population"));

    // given on the command line, the option's own value is the one blamed
    Process given = launcher(Map.of("QT_SG_POPULATION_SIZE", "abc"), append(evolve, "--population", "abc"));
    String givenErr = new String(given.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", given.waitFor(60, TimeUnit.SECONDS));
    assertEquals(givenErr, 2, given.exitValue());
    assertTrue(givenErr, givenErr.startsWith("Invalid value for option '--population': 'abc' is not an int"));

    // a whole number out of range: the variable (or the option) is named too
    Process range = launcher(Map.of("QT_SG_POPULATION_SIZE", "1"), evolve);
    String rangeErr = new String(range.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", range.waitFor(60, TimeUnit.SECONDS));
    assertEquals(rangeErr, 2, range.exitValue());
    assertTrue(rangeErr, rangeErr.startsWith("QT_SG_POPULATION_SIZE=1 (the default of --population): population must be in [2, "));
    Process rangeGiven = launcher(Map.of(), append(evolve, "--generations", "0"));
    String rangeGivenErr = new String(rangeGiven.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", rangeGiven.waitFor(60, TimeUnit.SECONDS));
    assertTrue(rangeGivenErr, rangeGivenErr.startsWith("--generations: generations must be in [1, "));
  }

  /**
   * A variable set but empty or blank counts as not set, as the node's configuration takes it: the
   * option's own default applies (picocli alone would take "" and fail on it).
   */
  @Test
  public void anEmptyEnvironmentDefaultIsNotSet() throws Exception {
    Process p = launcher(ProcessBuilder.Redirect.PIPE, Map.of("QT_SG_POPULATION_SIZE", "", "QT_SG_GENERATIONS", " "),
        "evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--json");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(err, 0, p.exitValue());
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    assertEquals(out, 200, j.get("population").asInt());
    assertEquals(out, 50, j.get("generations").asInt());
    // the node's address too: the default one is asked (and is not there), not "--node must be a URL"
    Process status = launcher(ProcessBuilder.Redirect.DISCARD, Map.of("QT_NODE", "", "QT_TOKEN", "no-such-secret-0123456789"), "status");
    String statusErr = new String(status.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", status.waitFor(60, TimeUnit.SECONDS));
    assertTrue(statusErr, statusErr.contains("127.0.0.1:8080") && !statusErr.contains("--node must be"));
  }

  /** The launcher's main class in a child JVM on this test's class path, with {@code env} added; its output discarded. */
  private static Process launcher(Map<String, String> env, String... args) throws IOException {
    return launcher(ProcessBuilder.Redirect.DISCARD, env, args);
  }

  private static Process launcher(ProcessBuilder.Redirect output, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "com.quantumtrader.app.Main"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(output);
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * A signal (SIGTERM here, as Ctrl-C's SIGINT) cancels an evolve: the generation under way ends and
   * the best so far is printed; with --walk-forward, the report names the window it stopped in and
   * shows the windows so far, the last marked as partial.
   */
  @Test
  public void aSignalCancelsAnEvolveWhichPrintsTheBestSoFar() throws Exception {
    String[] plain = {"evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "400", "--generations", "100000",
        "--seed", "3"};
    String out = cancelledAfterItsFirstGeneration(plain);
    assertTrue(out, out.matches("(?s).*cancelled in generation \\d+ of 100000 \\(it counts with the parameter sets it had evaluated\\): the best so far.*"));
    assertTrue(out, out.contains("VERDICT"));

    String wfOut = cancelledAfterItsFirstGeneration(append(plain, "--walk-forward", "20:10"));
    assertTrue(wfOut, wfOut.contains("cancelled in window #1 (1 of 4): the windows so far, the last with its best so far (marked *)"));
    assertTrue(wfOut, wfOut.lines().anyMatch(l -> l.trim().startsWith("1*")));
  }

  /** Runs the command in a child JVM, sends it SIGTERM once it reports a generation, and returns what it printed. */
  private static String cancelledAfterItsFirstGeneration(String[] args) throws Exception {
    Path stdout = Files.createTempFile(dir, "evolve-", ".out");
    Process p = launcher(ProcessBuilder.Redirect.to(stdout.toFile()), Map.of(), args);
    try (java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null && !line.startsWith("generation ")) {
        // the run's header
      }
      assertTrue("no generation reported; exit " + (p.isAlive() ? "none" : p.exitValue()), line != null);
      p.toHandle().destroy(); // SIGTERM (Process.destroy would close our end of the pipes): shutdown hooks run, as on Ctrl-C
      while (err.readLine() != null) {
        // drained, so that the child never blocks on a full pipe
      }
    } finally {
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    return Files.readString(stdout);
  }

  private static String[] append(String[] a, String... more) {
    String[] all = Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, all, a.length, more.length);
    return all;
  }

  /**
   * With standard error on a terminal and the report redirected to a file, evolve redraws one
   * progress bar (the JVM then has no console, which is what the bar asked before). The terminal is
   * script(1)'s pseudo-terminal (util-linux, in every Debian).
   */
  @Test
  public void theProgressBarIsDrawnWhenStderrIsATerminalAndTheReportGoesToAFile() throws Exception {
    org.junit.Assume.assumeTrue("no script(1) to give the child a terminal", Files.isExecutable(Path.of("/usr/bin/script")));
    Path report = dir.resolve("evolve-report.txt");
    String cmd = String.join(" ", quoted(Path.of(System.getProperty("java.home"), "bin", "java").toString()), "-cp",
        quoted(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))), "com.quantumtrader.app.Main",
        "evolve", "--strategy", "trend-ema-cross", "--data", quoted(Path.of(DATA).toAbsolutePath().toString()), "--population", "10",
        "--generations", "3", "--seed", "7", ">", quoted(report.toString()));
    Process p = new ProcessBuilder("/usr/bin/script", "-qec", cmd, "/dev/null").redirectErrorStream(true).start();
    String terminal = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("still running", p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(terminal, 0, p.exitValue());
    assertTrue(terminal, terminal.contains("\r[####################] generation 3/3"));
    assertTrue(Files.readString(report).contains("VERDICT"));
  }

  private static String quoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** A long curve is drawn thinned, but its last point (where the run ended) is always drawn. */
  @Test
  public void theChartDrawsTheLastPointOfALongCurve() throws Exception {
    int n = 4_002; // drawn every 2nd point: 0, 2, ..., 4000, then the last, 4001
    long[] t = new long[n];
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * 3_600_000L;
      e[i] = 10_000 + i;
    }
    e[n - 1] = 20_000; // the last point alone reaches the top
    Path file = dir.resolve("long.html");
    EquityChart.write(file, "long", t, e, Map.of());
    String html = Files.readString(file);
    assertTrue(html, html.contains("950.0,50.0 ")); // the right edge at the top of the plot
  }

  /**
   * A run that lost nine tenths is drawn on a logarithmic axis, which says so: the middle line is the
   * geometric mean of the lowest and highest equity, so a fall from 10,000 to 3,162 takes half the
   * height, as the fall from 3,162 to 1,000 does. A run within a factor of 4 stays linear.
   */
  @Test
  public void aDeepLossIsDrawnOnALogScale() throws Exception {
    long[] t = {0, 3_600_000L, 7_200_000L};
    Path file = dir.resolve("log.html");
    EquityChart.write(file, "log", t, new double[] {10_000, Math.sqrt(10_000 * 1_000.0), 1_000}, Map.of());
    String html = Files.readString(file);
    assertTrue(html, html.contains("equity, log scale"));
    assertTrue(html, html.contains(">3,162.28</text>"));
    assertTrue(html, html.contains("90.0,50.0 520.0,180.0 950.0,310.0 ")); // top, middle, bottom
    assertTrue(html, html.contains(">0%</text>") && html.contains(">-90.0%</text>"));
    Path linear = dir.resolve("linear.html");
    EquityChart.write(linear, "linear", t, new double[] {10_000, 8_000, 3_000}, Map.of());
    assertFalse(Files.readString(linear).contains("log scale"));
  }

  /** The x axis is time: a gap in the bars is drawn as long as it lasted, and five dates label the axis. */
  @Test
  public void theChartsXAxisIsTime() throws Exception {
    int n = 200;
    long[] t = new long[n];
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = 1_704_067_200_000L + (i < 100 ? i : i + 900) * 3_600_000L; // 100 hourly bars, a gap of 900 hours, 100 more
      e[i] = 10_000 + i;
    }
    Path file = dir.resolve("gap.html");
    EquityChart.write(file, "gap", t, e, Map.of());
    String html = Files.readString(file);
    // bar 99 at 99/1099 of the width, bar 100 at 1000/1099: 90 + 860 * share
    assertTrue(html, html.contains("167.5,") && html.contains(" 872.5,"));
    for (String date : List.of("2024-01-01", "2024-01-12", "2024-01-23", "2024-02-04", "2024-02-15")) {
      assertTrue(date + " in " + html, html.contains(">" + date + "</text>"));
    }
  }

  @Test
  public void evolveRefusesMoreThreadsThanMakeSense() {
    CliTest.Result r = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--threads", "2000000");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("--threads must be from 1 to 1024") && r.err().contains("got 2000000"));
  }

  @Test
  public void missingDataIsAClearError() {
    CliTest.Result r = backtest("--strategy", "trend-ema-cross", "--data", dir.resolve("nothing-here").toString(), "--no-chart");
    assertEquals(r.toString(), 2, r.exit());
    assertTrue(r.err(), r.err().contains("--data: market data " + dir.resolve("nothing-here") + " does not exist"));
  }

  @Test
  public void evolvePrintsCandidatesAndBarStepsPerSecond() {
    CliTest.Result r = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "10", "--generations", "3",
        "--seed", "7");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.out(), r.out().contains("VERDICT"));
    assertTrue(r.out(), r.out().contains("sg-trend_ema_cross-0"));
    assertTrue(r.out(), r.out().matches("(?s).*(kept|rejected out of sample).*"));
    assertTrue(r.out(), r.out().matches("(?s).*in 3 generations, .* bar-steps/s\\n.*"));
    assertTrue(r.err(), r.err().contains("generation 3/3"));
    assertTrue(r.err(), r.err().contains("bar-steps/s"));
  }

  /** The best candidate's parameters are printed exactly, as --params takes them (the table rounds them): the JSON's doubles. */
  @Test
  public void evolvePrintsTheBestCandidatesExactParams() throws Exception {
    String[] args = {"evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "10", "--generations", "3", "--seed", "7"};
    CliTest.Result text = cli(args);
    String line = text.out().lines().filter(l -> l.startsWith("backtest sg-trend_ema_cross-0 with: --strategy trend-ema-cross --params "))
        .findFirst().orElseThrow(() -> new AssertionError(text.out()));
    String params = line.substring(line.lastIndexOf(' ') + 1);
    List<String> withJson = new ArrayList<>(Arrays.asList(args));
    withJson.add("--json");
    JsonNode best = JSON.readTree(cli(withJson.toArray(String[]::new)).out()).path("candidates").get(0).path("params");
    int n = 0;
    for (String kv : params.split(",")) {
      String[] p = kv.split("=");
      assertEquals(kv, best.path(p[0]).asDouble(), Double.parseDouble(p[1]), 0.0);
      n++;
    }
    assertEquals(5, n);
    assertEquals(text.toString(), 0, cli("backtest", "--strategy", "trend-ema-cross", "--params", params, "--data", DATA, "--no-chart").exit());
    // a minimum confidence other than the default goes with them
    List<String> other = new ArrayList<>(Arrays.asList(args));
    other.addAll(List.of("--min-confidence", "0.7"));
    assertTrue(cli(other.toArray(String[]::new)).out().lines().anyMatch(l -> l.startsWith("backtest sg-trend_ema_cross-0 with: ")
        && l.endsWith(" --min-confidence 0.7")));
  }

  @Test
  public void evolveJsonParses() throws Exception {
    CliTest.Result r = cli("evolve", "--strategy", "donchian-breakout", "--data", DATA, "--population", "10", "--generations", "3",
        "--seed", "7", "--train-fraction", "0.6", "--json");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(3, j.path("generationsRun").asInt());
    assertEquals(900, j.path("trainBars").asInt());
    assertFalse(j.path("cancelled").asBoolean());
    assertTrue(j.path("barStepsPerSecond").asDouble() > 0);
    assertTrue(j.path("candidates").size() > 0);
    JsonNode c = j.path("candidates").get(0);
    assertTrue(c.path("params").has("entryPeriod"));
    assertTrue(c.path("train").has("sharpe"));
    assertTrue(c.path("test").has("trades"));
  }

  /**
   * Walk-forward optimization: each window's pick is the best training candidate of a search on that
   * window's training bars alone (the same seed repeats it here), and its test figures are its run on
   * the test bars, warmed up on the training bars; --train-fraction is refused with it.
   */
  @Test
  public void evolveWalkForwardPicksEachWindowsBestTrainingCandidateAndTestsItOnTheNextWindow() throws Exception {
    CliTest.Result r = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "12", "--generations", "3",
        "--seed", "5", "--walk-forward", "20:10", "--json");
    assertEquals(r.toString(), 0, r.exit());
    JsonNode j = JSON.readTree(r.out());
    JsonNode ws = j.path("windows");
    assertEquals(4, ws.size());
    com.quantumtrader.strategy.BarArrays bars = com.quantumtrader.strategy.BarArrays.loadOne(Path.of(DATA));
    List<com.quantumtrader.strategy.WalkForward.Window> windows =
        com.quantumtrader.strategy.WalkForward.rollingByTime(bars, 20 * 86_400_000L, 10 * 86_400_000L);
    com.quantumtrader.strategy.Generator.Settings settings = com.quantumtrader.strategy.Generator.defaults(12, 3, 5);
    com.quantumtrader.strategy.Backtester backtester = new com.quantumtrader.strategy.Backtester(settings.backtest());
    List<com.quantumtrader.strategy.BacktestResult.Summary> tests = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      var w = windows.get(k);
      var search = com.quantumtrader.strategy.Generator.run(com.quantumtrader.strategy.Template.TREND_EMA_CROSS, w,
          bars.barsPerYear(), settings, Runnable::run, p -> {}, () -> false);
      var best = search.candidates().get(0);
      double[] params = best.spec().params();
      JsonNode pick = ws.get(k);
      assertEquals(pick.toString(), params[0], pick.at("/params/fast").asDouble(), 0);
      assertEquals(pick.toString(), params[1], pick.at("/params/slow").asDouble(), 0);
      assertEquals(best.trainFitness(), pick.path("trainFitness").asDouble(), 1e-12);
      var test = backtester.metrics(best.spec(), w.warmUpAndTest(), w.train().size());
      tests.add(test);
      assertEquals(test.tradeCount(), pick.at("/test/trades").asInt());
      assertEquals(test.totalReturn(), pick.at("/test/totalReturn").asDouble(), 1e-12);
      assertEquals(java.time.Instant.ofEpochMilli(w.test().openTime(0)).toString(), pick.path("testFrom").asText());
      assertEquals(java.time.Instant.ofEpochMilli(w.train().openTime(w.train().size() - 1)).toString(), pick.path("trainTo").asText());
      assertEquals(w.index() + 1, pick.path("number").asInt());
    }
    double growth = 1;
    for (var t : tests) growth *= 1 + t.totalReturn();
    assertEquals(growth - 1, j.at("/outOfSample/compoundedReturn").asDouble(), 1e-12);
    assertEquals("the bars after the last test window, as backtest --walk-forward counts them", 60, j.path("untestedBars").asInt());

    CliTest.Result text = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--population", "12", "--generations", "3",
        "--seed", "5", "--walk-forward", "20:10");
    assertEquals(text.toString(), 0, text.exit());
    assertTrue(text.out(), text.out().contains("of 4 test windows profitable"));
    assertTrue(text.out(), text.out().lines().anyMatch(l -> l.startsWith("parameters:") && l.contains("fast ")));
    assertTrue(text.err(), text.err().contains("window #4 (4 of 4): training 2022-01-31..2022-02-19"));
    assertTrue(text.out(), text.out().contains("not tested:             the last 60 bars (after 2022-03-01 23:00), in no test window"));
    // a pick that failed the out-of-sample rules says which, under the table
    for (int k = 0; k < 4; k++) {
      String verdict = ws.get(k).path("verdict").asText();
      if (!verdict.equals("kept")) assertTrue(text.out(), text.out().contains("  #" + (k + 1) + " failed: " + verdict + "\n")
          || text.out().contains("  #" + (k + 1) + " failed: " + verdict + System.lineSeparator()));
    }
    assertTrue("some pick fails here: " + ws, text.out().contains(" failed: "));

    CliTest.Result both = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "20:10",
        "--train-fraction", "0.5");
    assertEquals(both.toString(), 2, both.exit());
    assertTrue(both.err(), both.err().contains("leave out --train-fraction"));
    CliTest.Result tooLong = cli("evolve", "--strategy", "trend-ema-cross", "--data", DATA, "--walk-forward", "60:10");
    assertEquals(tooLong.toString(), 2, tooLong.exit());
    assertTrue(tooLong.err(), tooLong.err().contains("do not hold one window of 70 days"));
  }

  @Test
  public void evolveOnOneThreadRepeatsARunWithItsSeed() throws Exception {
    String[] args = {"evolve", "--strategy", "mean-reversion", "--data", DATA, "--population", "12", "--generations", "3",
        "--seed", "11", "--threads", "1", "--json"};
    CliTest.Result a = cli(args), b = cli(args);
    assertEquals(a.toString(), 0, a.exit());
    assertEquals(JSON.readTree(a.out()).path("candidates"), JSON.readTree(b.out()).path("candidates"));
  }

  /**
   * A folder with a symbol's candles of two intervals (the shared data's layout): each file is its own
   * series; a command names the interval when the symbol has several, and reads only what it uses.
   */
  @Test
  public void aFolderWithASymbolOfTwoIntervalsNeedsTheInterval() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("two-intervals"));
    Files.copy(Path.of(DATA), folder.resolve("BTCUSDT-1h.csv"));
    Files.copy(Path.of("src/test/resources/market/real/ETHUSDT-5m.csv"), folder.resolve("BTCUSDT-5m.csv"));
    Files.copy(Path.of("src/test/resources/market/real/ADAUSDT-1h.csv"), folder.resolve("ADAUSDT-1h.csv"));

    CliTest.Result both = cli("evolve", "--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "BTCUSDT",
        "--population", "6", "--generations", "1", "--seed", "1");
    assertEquals(both.toString(), 2, both.exit());
    assertTrue(both.err(), both.err().contains("several intervals [1h, 5m]: choose one with --interval"));

    CliTest.Result one = cli("evolve", "--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "btcusdt",
        "--interval", "5m", "--population", "6", "--generations", "1", "--seed", "1", "--json");
    assertEquals(one.toString(), 0, one.exit());
    assertEquals("5m", JSON.readTree(one.out()).path("interval").asText());

    // without --symbol, the 1h candles of both symbols run as one portfolio
    CliTest.Result portfolio = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--interval", "1h",
        "--no-chart", "--json");
    assertEquals(portfolio.toString(), 0, portfolio.exit());
    assertEquals("[\"ADAUSDT\",\"BTCUSDT\"]", JSON.readTree(portfolio.out()).path("symbols").toString());

    CliTest.Result none = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "SOLUSDT",
        "--no-chart");
    assertEquals(none.toString(), 2, none.exit());
    assertTrue(none.err(), none.err().contains("no SOLUSDT candles in " + folder + "; it holds [ADAUSDT 1h, BTCUSDT 1h, BTCUSDT 5m]"));
    // a symbol the data has, in another interval: its own intervals, and the case of one said
    CliTest.Result other = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "btcusdt",
        "--interval", "1H", "--no-chart");
    assertEquals(other.toString(), 2, other.exit());
    assertTrue(other.err(), other.err().contains("no BTCUSDT 1H candles in " + folder + "; BTCUSDT has 1h, 5m (intervals are"
        + " case-sensitive: 1m is a minute, 1M a month)"));
    other = backtest("--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "ADAUSDT", "--interval", "7m", "--no-chart");
    assertTrue(other.err(), other.err().contains("no ADAUSDT 7m candles in " + folder + "; ADAUSDT has 1h") && !other.err().contains("case"));
  }
}
