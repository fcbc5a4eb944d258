package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.indicators.Bollinger;
import com.quantumtrader.indicators.Ta4jBars;
import com.quantumtrader.strategy.BacktestResult.Trade;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.Assume;
import org.junit.Test;
import org.ta4j.core.Position;
import org.ta4j.core.TradingRecord;

/**
 * The ta4j cross-check of {@link BacktesterVsTa4jTest} on whole files of the shared data set (years
 * of hourly and 5-minute crypto candles, daily stock bars), each template with its defaults and
 * random parameter sets (seeded). Every trade must equal ta4j's, entries, exits and prices, with one
 * exception that is not a difference of rules: a mean-reversion exit on a bar whose close equals the
 * 20-bar middle band in decimal ({@code close > middle} is then decided by the last bit of the mean).
 * ta4j sums the window as a running total (add the new close, subtract the oldest, never re-summed),
 * ours re-bases its sums every period; the two means differ in the last bits, and on such a bar one
 * exits and the other does not. Such a run is compared up to that trade, which must be a tie of that
 * kind, checked here. Skipped, with a message, without the shared data beside the checkout.
 */
public class BacktesterVsTa4jSharedTest {
  private static final Path DATA = Path.of("..", "shared", "data", "market");
  private static final String[] FILES = {"BTCUSDT-1h.csv", "SOLUSDT-1h.csv", "BNBUSDT-1h.csv", "LINKUSDT-5m.csv", "ETHUSDT-5m.csv", "AAPL-1d.csv", "NFLX-1d.csv"};
  private static final int RANDOM_SETS = 5;
  private static final long SEED = 99;

  @Test
  public void tradesEqualTa4jsOnWholeFilesButForTiesAtTheMiddleBand() throws Exception {
    if (!Files.isDirectory(DATA)) {
      String msg = "SKIPPED: " + DATA.toAbsolutePath().normalize() + " not found (the shared market data is not beside this checkout)";
      System.out.println(msg);
      Assume.assumeTrue(msg, false);
    }
    SplittableRandom rnd = new SplittableRandom(SEED);
    int runs = 0, trades = 0, ties = 0;
    StringBuilder tied = new StringBuilder();
    for (String f : FILES) {
      Ta4jBars bars = Ta4jBars.load(f, DATA.resolve(f));
      BarArrays arrays = BarArrays.of(bars.bars);
      for (Template t : Template.values()) {
        for (int k = 0; k <= RANDOM_SETS; k++) {
          StrategySpec spec = k == 0 ? StrategySpec.defaults("d", t) : SignalSeriesTest.random(t, rnd);
          String at = "seed " + SEED + ": " + f + " " + t + Arrays.toString(spec.params());
          List<Trade> ours = new Backtester(BacktesterVsTa4jTest.COMPARABLE).run(spec, arrays).trades();
          TradingRecord record = BacktesterVsTa4jTest.ta4jRun(spec, bars);
          List<Position> theirs = record.getPositions();
          runs++;
          int i = 0;
          for (; i < Math.min(ours.size(), theirs.size()); i++) {
            Position x = theirs.get(i);
            Trade y = ours.get(i);
            if (x.getEntry().getIndex() != y.entryBar() || x.getExit().getIndex() != y.exitBar()) break;
            assertEquals(at + " trade " + i + " entry price", x.getEntry().getPricePerAsset().doubleValue(), y.entryPrice(), 0.0);
            assertEquals(at + " trade " + i + " exit price", x.getExit().getPricePerAsset().doubleValue(), y.exitPrice(), 0.0);
          }
          trades += i;
          if (i == ours.size() && i == theirs.size()) continue;
          // a difference: it must be one trade's exit, the earlier of the two exit signals a close tied with the middle band
          assertTrue(at + ": trade " + i + " differs (ours " + (i < ours.size() ? ours.get(i) : "none") + ", ta4j "
              + (i < theirs.size() ? theirs.get(i) : "none") + ")", t == Template.MEAN_REVERSION && i < ours.size() && i < theirs.size()
              && ours.get(i).entryBar() == theirs.get(i).getEntry().getIndex());
          int signal = Math.min(ours.get(i).exitBar(), theirs.get(i).getExit().getIndex()) - 1; // an exit fills on the bar after its signal
          double close = arrays.close(signal), middle = middleBand(arrays, spec, signal);
          assertTrue(at + ": trade " + i + " exits at bar " + (ours.get(i).exitBar() - 1) + " (ours) and " + (theirs.get(i).getExit().getIndex() - 1)
              + " (ta4j): close " + close + " against the middle band " + middle + ", not a tie", Math.abs(close - middle) <= 1e-12 * close);
          ties++;
          tied.append("\n  ").append(at).append(": trade ").append(i).append(", close ").append(close).append(" at bar ").append(signal);
        }
      }
    }
    System.out.println("BacktesterVsTa4jSharedTest: " + runs + " runs, " + trades + " trades equal to ta4j's, " + ties
        + " runs compared up to an exit on a close tied with the middle band" + tied);
    assertTrue("too few trades compared: " + trades, trades > 10_000);
    assertTrue(ties + " ties of " + runs + " runs", ties * 10 <= runs);
  }

  /** The mean-reversion spec's middle band after bar {@code i}: its Bollinger period's mean of the closes. */
  private static double middleBand(BarArrays b, StrategySpec spec, int i) {
    int period = (int) spec.params()[Template.MEAN_REVERSION.indexOf("bbPeriod")];
    Bollinger bb = new Bollinger(period, 2);
    for (int j = Math.max(0, i - 3 * period); j <= i; j++) bb.update(b.close(j));
    return bb.middle();
  }
}
