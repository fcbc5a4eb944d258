package com.quantumtrader.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * Train / test windows over one symbol's bars, split by time: the test window always follows its
 * training window, so nothing from the test period is seen while fitting. A test run warms its engine
 * up on the training bars (no trades there, see {@link Backtester#run(StrategySpec, BarArrays, int)}),
 * so the out-of-sample result does not start with a cold indicator.
 */
public final class WalkForward {
  private WalkForward() {}

  /**
   * One window: {@code train} and {@code test} are adjacent views of the same bars; {@code warmUpAndTest}
   * is both, to run the test with {@code tradeFrom = train.size()}.
   */
  public record Window(int index, BarArrays train, BarArrays test, BarArrays warmUpAndTest) implements Slot {}

  /** A window's place in its tiling of time ({@link #rollingByTime}): its slot, holes where slots had no bars. */
  public interface Slot {
    int index();
  }

  /** The results of one window. */
  public record WindowResult(Window window, BacktestResult train, BacktestResult test) {}

  /**
   * One window over several symbols sharing one book ({@link Backtester#portfolio}): the training
   * period is [{@code trainStart}, {@code testStart}), the test period [{@code testStart}, {@code
   * testEnd}) (epoch ms). {@code train} holds each symbol's bars in the training period, {@code
   * warmUpAndTest} each symbol's bars in both periods (to run the test from {@code testStart}); a
   * symbol without bars in them is not in the list.
   */
  public record PortfolioWindow(int index, long trainStart, long testStart, long testEnd, List<BarArrays> train,
      List<BarArrays> warmUpAndTest) implements Slot {}

  /** The results of one portfolio window. */
  public record PortfolioResult(PortfolioWindow window, BacktestResult train, BacktestResult test) {}

  /** One split: the first {@code trainFraction} of the bars (by count, so by time) to train, the rest to test. */
  public static Window split(BarArrays bars, double trainFraction) {
    if (!(trainFraction > 0 && trainFraction < 1)) throw new IllegalArgumentException("train fraction must be in (0, 1)");
    int cut = (int) Math.round(bars.size() * trainFraction);
    if (cut < 1 || cut >= bars.size()) {
      throw new IllegalArgumentException("too few candles to evolve: " + bars.symbol + " " + bars.interval + " has " + bars.size() + " bar"
          + (bars.size() == 1 ? "" : "s") + ", too few to split into a training and an out-of-sample window at " + trainFraction);
    }
    return window(0, bars, 0, cut, bars.size());
  }

  /** One split at a time: training bars open before {@code testStart} (epoch ms), test bars at or after it. */
  public static Window splitAt(BarArrays bars, long testStart) {
    int cut = bars.indexAtOrAfter(testStart);
    if (cut < 1 || cut >= bars.size()) throw new IllegalArgumentException(testStart + " does not split " + bars);
    return window(0, bars, 0, cut, bars.size());
  }

  /**
   * Rolling windows: {@code trainBars} to train, the next {@code testBars} to test, moved on by {@code
   * testBars} each time (so the test windows tile the history after the first training window). The
   * last, incomplete test window is dropped.
   */
  public static List<Window> rolling(BarArrays bars, int trainBars, int testBars) {
    if (trainBars < 1 || testBars < 1) throw new IllegalArgumentException("window sizes must be >= 1");
    List<Window> out = new ArrayList<>();
    for (int start = 0; start + trainBars + testBars <= bars.size(); start += testBars) {
      out.add(window(out.size(), bars, start, start + trainBars, start + trainBars + testBars));
    }
    return out;
  }

  /** {@link #rollingByTime(BarArrays, long, long, long)} from the first bar's open time. */
  public static List<Window> rollingByTime(BarArrays bars, long trainMillis, long testMillis) {
    return bars.size() == 0 ? List.of() : rollingByTime(bars, bars.openTime(0), trainMillis, testMillis);
  }

  /**
   * Rolling windows by time from {@code origin} (at or before the first bar): {@code trainMillis} to
   * train, the next {@code testMillis} to test, moved on by {@code testMillis} (the test windows tile
   * the history after the first training window). A gap in the bars is a gap in a window, not a shift
   * of the windows. A window's {@link Window#index()} is its slot in that tiling, so a slot without
   * bars in its training or its test period, which is left out, leaves a hole in the indices. The last
   * slot whose test period ends after the bars do (the last bar's interval ends before it) is dropped.
   */
  public static List<Window> rollingByTime(BarArrays bars, long origin, long trainMillis, long testMillis) {
    List<Window> out = new ArrayList<>();
    int slots = slots(bars, origin, trainMillis, testMillis);
    for (int slot = 0; slot < slots; slot++) {
      long start = origin + slot * testMillis, cutTime = start + trainMillis, end = cutTime + testMillis;
      int from = bars.indexAtOrAfter(start), cut = bars.indexAtOrAfter(cutTime), to = bars.indexAtOrAfter(end);
      if (cut > from && to > cut) out.add(window(slot, bars, from, cut, to));
    }
    return out;
  }

  /**
   * How many slots of {@link #rollingByTime(BarArrays, long, long, long)}'s tiling the bars reach,
   * kept or left out for want of bars: those whose test period ends no later than the last bar's
   * interval does.
   */
  public static int slots(BarArrays bars, long origin, long trainMillis, long testMillis) {
    if (trainMillis < 1 || testMillis < 1) throw new IllegalArgumentException("window lengths must be > 0");
    int n = bars.size();
    if (n == 0) return 0;
    if (origin > bars.openTime(0)) throw new IllegalArgumentException("origin " + origin + " is after the first bar");
    long barMillis;
    try {
      barMillis = com.quantumtrader.ranker.Scoring.intervalMillis(bars.interval);
    } catch (RuntimeException e) { // an interval without a length (a test's series): the bars' own ends only
      barMillis = 0;
    }
    long reach = bars.openTime(n - 1) + barMillis - origin - trainMillis;
    return reach < testMillis ? 0 : (int) Math.min(Integer.MAX_VALUE, reach / testMillis);
  }

  /**
   * {@link #rollingByTime(BarArrays, long, long, long)} over several symbols: the same slots of time for
   * all of them (from {@code origin}, at or before every symbol's first bar), as many as the symbol
   * whose bars reach furthest allows. A slot is kept when some symbol has bars in its training period
   * and some symbol has bars in its test period; a symbol listed later than the others simply joins
   * the windows whose periods hold its bars.
   */
  public static List<PortfolioWindow> rollingByTime(List<BarArrays> symbols, long origin, long trainMillis, long testMillis) {
    List<PortfolioWindow> out = new ArrayList<>();
    int slots = slots(symbols, origin, trainMillis, testMillis);
    for (int slot = 0; slot < slots; slot++) {
      long start = origin + slot * testMillis, cutTime = start + trainMillis, end = cutTime + testMillis;
      List<BarArrays> train = new ArrayList<>(), all = new ArrayList<>();
      boolean tested = false;
      for (BarArrays b : symbols) {
        int from = b.indexAtOrAfter(start), cut = b.indexAtOrAfter(cutTime), to = b.indexAtOrAfter(end);
        if (cut > from) train.add(b.slice(from, cut));
        if (to > from) all.add(b.slice(from, to));
        tested |= to > cut;
      }
      if (!train.isEmpty() && tested) out.add(new PortfolioWindow(slot, start, cutTime, end, List.copyOf(train), List.copyOf(all)));
    }
    return out;
  }

  /** {@link #slots(BarArrays, long, long, long)} of the symbol whose bars reach furthest. */
  public static int slots(List<BarArrays> symbols, long origin, long trainMillis, long testMillis) {
    int most = 0;
    for (BarArrays b : symbols) most = Math.max(most, slots(b, origin, trainMillis, testMillis));
    return most;
  }

  /** Runs {@code spec} on each portfolio window's training period and, warmed up on it, on its test period. */
  public static List<PortfolioResult> runPortfolio(Backtester backtester, StrategySpec spec, List<PortfolioWindow> windows) {
    List<PortfolioResult> out = new ArrayList<>(windows.size());
    for (PortfolioWindow w : windows) {
      out.add(new PortfolioResult(w, backtester.portfolio(spec, w.train()), backtester.portfolio(spec, w.warmUpAndTest(), w.testStart())));
    }
    return out;
  }

  private static Window window(int index, BarArrays bars, int from, int cut, int to) {
    return new Window(index, bars.slice(from, cut), bars.slice(cut, to), bars.slice(from, to));
  }

  /** Runs {@code spec} on each window's training bars and, warmed up on them, on its test bars. */
  public static List<WindowResult> run(Backtester backtester, StrategySpec spec, List<Window> windows) {
    List<WindowResult> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      out.add(new WindowResult(w, backtester.run(spec, w.train()), backtester.run(spec, w.warmUpAndTest(), w.train().size())));
    }
    return out;
  }
}
