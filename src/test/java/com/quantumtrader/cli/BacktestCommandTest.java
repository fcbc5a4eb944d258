package com.quantumtrader.cli;

import static com.quantumtrader.cli.CliTest.cli;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.BeforeClass;
import org.junit.Test;

/** The local commands, backtest and evolve, in-process on the committed BTCUSDT hourly slice. */
public class BacktestCommandTest {
  private static final String DATA = "src/test/resources/market/real/BTCUSDT-1h.csv";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dir;

  @BeforeClass
  public static void tempDir() throws Exception {
    dir = Files.createTempDirectory("qt-backtest-");
  }

  @Test
  public void backtestPrintsMetricsAndTradesAndWritesTheChart() throws Exception {
    Path chart = dir.resolve("chart.html");
    CliTest.Result r = cli("backtest", "--strategy", "trend-ema-cross", "--data", DATA, "--chart", chart.toString());
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
    CliTest.Result r = cli("backtest", "--strategy", "TREND_EMA_CROSS", "--params", "fast=5,slow=20", "--data", DATA,
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

    CliTest.Result defaults = cli("backtest", "--strategy", "trend-ema-cross", "--data", DATA, "--no-chart", "--json");
    assertFalse("fast=5,slow=20 trades differently from the defaults",
        JSON.readTree(defaults.out()).path("metrics").equals(j.path("metrics")));
  }

  @Test
  public void unknownOrOutOfRangeParamIsAUsageErrorNamingIt() {
    CliTest.Result unknown = cli("backtest", "--strategy", "trend-ema-cross", "--params", "fastest=5", "--data", DATA, "--no-chart");
    assertEquals(unknown.toString(), 2, unknown.exit());
    assertTrue(unknown.err(), unknown.err().contains("fastest"));

    CliTest.Result range = cli("backtest", "--strategy", "trend-ema-cross", "--params", "stopAtr=50", "--data", DATA, "--no-chart");
    assertEquals(range.toString(), 2, range.exit());
    assertTrue(range.err(), range.err().contains("stopAtr = 50 is outside"));

    CliTest.Result template = cli("backtest", "--strategy", "moon", "--data", DATA, "--no-chart");
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
    CliTest.Result r = cli("backtest", "--strategy", "trend-ema-cross", "--data", bad.toString(), "--no-chart", "--json");
    assertEquals(r.toString(), 0, r.exit());
    assertTrue(r.err(), r.err().contains("left out 3 rows that are not valid bars: BTCUSDT 1 UNPARSABLE, 1 NOT_FINITE, 1 NON_POSITIVE_PRICE"));
    assertEquals(396, JSON.readTree(r.out()).path("bars").asInt());
    CliTest.Result evolve = cli("evolve", "--strategy", "trend-ema-cross", "--data", bad.toString(), "--population", "4",
        "--generations", "1", "--seed", "1");
    assertTrue(evolve.err(), evolve.err().contains("left out 3 rows"));

    CliTest.Result twice = cli("backtest", "--strategy", "trend-ema-cross", "--params", "fast=5,fast=7", "--data", DATA, "--no-chart");
    assertEquals(twice.toString(), 2, twice.exit());
    assertTrue(twice.err(), twice.err().contains("--params: fast is given twice"));
    CliTest.Result risk = cli("backtest", "--strategy", "trend-ema-cross", "--risk", "5", "--data", DATA, "--no-chart");
    assertEquals(risk.toString(), 2, risk.exit());
    assertTrue(risk.err(), risk.err().contains("--risk must be a fraction of equity in (0, 0.1]"));
  }

  @Test
  public void missingDataIsAClearError() {
    CliTest.Result r = cli("backtest", "--strategy", "trend-ema-cross", "--data", dir.resolve("nothing-here").toString(), "--no-chart");
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
    CliTest.Result portfolio = cli("backtest", "--strategy", "trend-ema-cross", "--data", folder.toString(), "--interval", "1h",
        "--no-chart", "--json");
    assertEquals(portfolio.toString(), 0, portfolio.exit());
    assertEquals("[\"ADAUSDT\",\"BTCUSDT\"]", JSON.readTree(portfolio.out()).path("symbols").toString());

    CliTest.Result none = cli("backtest", "--strategy", "trend-ema-cross", "--data", folder.toString(), "--symbol", "SOLUSDT",
        "--no-chart");
    assertEquals(none.toString(), 2, none.exit());
    assertTrue(none.err(), none.err().contains("no SOLUSDT candles in " + folder + "; it holds [ADAUSDT 1h, BTCUSDT 1h, BTCUSDT 5m]"));
  }
}
