package com.quantumtrader.market;

import com.quantumtrader.common.CborSerializable;
import java.util.HashMap;
import java.util.Map;

/**
 * An equal-weight index of every symbol of one bar interval, built from the bar stream: at each time
 * step its return is the mean of the symbols' simple returns close / previous close − 1 (symbols
 * with a bar in that step and an earlier one). It keeps the index's realized volatility (standard
 * deviation of the last {@code volWindow} step log returns, annualized from the interval) and its
 * drawdown from the highest level of the last {@code peakWindow} steps. Pure; bars must come in time
 * order (the feed's order). Symbols of several intervals (a folder of 1h, 5m and 1d files) each get
 * their own index; {@link #snapshot()} reports the one with the most symbols.
 */
public final class EqualWeightIndex {

  /**
   * @param interval bar interval of the symbols in the index
   * @param symbols symbols in it
   * @param steps time steps completed
   * @param level index level, 1.0 at the start
   * @param annualizedVol realized volatility of the index, annualized
   * @param drawdown 1 − level / the peak of the last peakWindow steps, in [0, 1]
   * @param lastReturn the last completed step's return
   * @param asOf open time of the last completed step, epoch ms (0 before the first)
   */
  public record Snapshot(String interval, int symbols, long steps, double level, double annualizedVol, double drawdown,
      double lastReturn, long asOf) implements CborSerializable {
    public static final Snapshot EMPTY = new Snapshot("", 0, 0, 1.0, 0, 0, 0, 0);
  }

  private final int volWindow;
  private final int peakWindow;
  private final Map<String, One> byInterval = new HashMap<>();

  public EqualWeightIndex(int volWindow, int peakWindow) {
    if (volWindow < 2 || peakWindow < 1) throw new IllegalArgumentException("windows must be >= 2 and >= 1");
    this.volWindow = volWindow;
    this.peakWindow = peakWindow;
  }

  public void update(Bar b) {
    byInterval.computeIfAbsent(b.interval(), i -> new One(i, volWindow, peakWindow)).update(b.symbol(), b.openTime(), b.close());
  }

  public Snapshot snapshot() {
    One best = null;
    for (One o : byInterval.values()) if (best == null || o.lastClose.size() > best.lastClose.size()) best = o;
    return best == null ? Snapshot.EMPTY : best.snapshot();
  }

  private static final class One {
    final String interval;
    final double periodsPerYear;
    final Map<String, double[]> lastClose = new HashMap<>(); // symbol → {close, step time}
    final double[] logReturns;
    final double[] levels;
    int nReturns, nLevels;
    long stepTime = Long.MIN_VALUE;
    double sumReturns;
    int counted;
    long steps;
    double level = 1.0, lastReturn;
    long asOf;

    One(String interval, int volWindow, int peakWindow) {
      this.interval = interval;
      long ms = com.quantumtrader.ranker.Scoring.intervalMillis(interval);
      this.periodsPerYear = 365.25 * 24 * 3600 * 1000.0 / ms;
      this.logReturns = new double[volWindow];
      this.levels = new double[peakWindow];
    }

    void update(String symbol, long t, double close) {
      if (t != stepTime) {
        if (stepTime != Long.MIN_VALUE) completeStep();
        stepTime = t;
      }
      double[] prev = lastClose.get(symbol);
      if (prev == null) {
        lastClose.put(symbol, new double[] {close});
      } else {
        sumReturns += close / prev[0] - 1;
        counted++;
        prev[0] = close;
      }
    }

    void completeStep() {
      if (counted == 0) return;
      double r = sumReturns / counted;
      sumReturns = 0;
      counted = 0;
      level *= 1 + r;
      lastReturn = r;
      logReturns[(int) (steps % logReturns.length)] = Math.log1p(r);
      levels[(int) (steps % levels.length)] = level;
      steps++;
      nReturns = (int) Math.min(steps, logReturns.length);
      nLevels = (int) Math.min(steps, levels.length);
      asOf = stepTime;
    }

    Snapshot snapshot() {
      double mean = 0;
      for (int i = 0; i < nReturns; i++) mean += logReturns[i];
      mean = nReturns == 0 ? 0 : mean / nReturns;
      double var = 0;
      for (int i = 0; i < nReturns; i++) var += (logReturns[i] - mean) * (logReturns[i] - mean);
      double vol = nReturns < 2 ? 0 : Math.sqrt(var / nReturns * periodsPerYear);
      // The start (level 1) counts as a peak until it leaves the window.
      double peak = steps <= levels.length ? 1.0 : 0.0;
      for (int i = 0; i < nLevels; i++) peak = Math.max(peak, levels[i]);
      double dd = Math.max(0, 1 - level / peak);
      return new Snapshot(interval, lastClose.size(), steps, level, vol, dd, lastReturn, asOf);
    }
  }
}
