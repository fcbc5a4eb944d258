package com.quantumtrader.strategy;

import com.quantumtrader.indicators.Atr;
import com.quantumtrader.indicators.Bollinger;
import com.quantumtrader.indicators.Ema;
import com.quantumtrader.indicators.RollingExtreme;
import com.quantumtrader.indicators.Rsi;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Indicator series over the bars of one {@link BarArrays} view, each computed once, by feeding the
 * view's bars in order to the live indicator classes ({@code indicators/}), and shared by every
 * backtest over that view: a search tries thousands of parameter sets whose EMA, ATR, channel, RSI
 * and band periods repeat, so the backtester reads those values instead of recomputing them per
 * parameter set. Value {@code i} of a series is exactly the double the live indicator holds after
 * (for the channels: before) the view's bar {@code i}. For the EMA cross it also keeps, per pair of
 * periods, the bars where the two EMAs cross ({@link #emaCrossings}), the rule's only events.
 *
 * <p>Thread-safe: a series is computed by the first thread that asks for it (another asking at the
 * same time waits) and never changes. Series are kept until their view is gone, up to a budget of
 * {@link #BUDGET_BYTES} per set of arrays; past it they are computed on every request, not kept.
 */
final class SeriesCache {
  /** How many bytes of series one set of bar arrays keeps at most (256 MiB). */
  static final long BUDGET_BYTES = 256L << 20;

  private enum Kind {
    EMA_CLOSE,
    ATR,
    PRIOR_MAX_HIGH,
    PRIOR_MIN_LOW,
    RSI_CLOSE,
    BB_MIDDLE,
    BB_STDDEV
  }

  private record Key(int from, int to, Kind kind, int period) {}

  private record PairKey(int from, int to, int fast, int slow) {}

  private final ConcurrentHashMap<Key, double[]> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PairKey, int[]> crossings = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  /** The EMA of the closes (after each bar). */
  double[] ema(BarArrays b, int period) {
    return get(b, Kind.EMA_CLOSE, period);
  }

  /** The ATR (after each bar). */
  double[] atr(BarArrays b, int period) {
    return get(b, Kind.ATR, period);
  }

  /** The highest high of the {@code period} bars before each bar (NaN at the first). */
  double[] priorMaxHigh(BarArrays b, int period) {
    return get(b, Kind.PRIOR_MAX_HIGH, period);
  }

  /** The lowest low of the {@code period} bars before each bar (NaN at the first). */
  double[] priorMinLow(BarArrays b, int period) {
    return get(b, Kind.PRIOR_MIN_LOW, period);
  }

  /** The RSI of the closes (after each bar). */
  double[] rsi(BarArrays b, int period) {
    return get(b, Kind.RSI_CLOSE, period);
  }

  /** The Bollinger middle band of the closes (after each bar). */
  double[] bollingerMiddle(BarArrays b, int period) {
    return get(b, Kind.BB_MIDDLE, period);
  }

  /** The Bollinger standard deviation of the closes (after each bar). */
  double[] bollingerStdDev(BarArrays b, int period) {
    return get(b, Kind.BB_STDDEV, period);
  }

  /**
   * The bars where the sign of EMA(fast) - EMA(slow) of the closes is not 0 and not the last sign
   * that was not 0 (the first bar whose sign is not 0 included), in bar order: a cross rule's only
   * events. Each is {@code bar << 1 | (sign > 0 ? 1 : 0)}. Kept as the series are: a search tries
   * the same two periods with many stops and targets.
   */
  int[] emaCrossings(BarArrays b, int fast, int slow) {
    PairKey key = new PairKey(b.from, b.to, fast, slow);
    int[] x = crossings.get(key);
    if (x != null) return x;
    double[] f = ema(b, fast), s = ema(b, slow);
    if (bytes.get() >= BUDGET_BYTES) return crossings(f, s);
    return crossings.computeIfAbsent(key, k -> {
      int[] v = crossings(f, s);
      bytes.addAndGet(4L * v.length);
      return v;
    });
  }

  /** {@link #emaCrossings}'s events of two series, not kept (the scan itself: the benchmark times it). */
  static int[] crossings(double[] f, double[] s) {
    int n = f.length, size = 0, last = 0;
    int[] out = new int[64];
    for (int i = 0; i < n; i++) {
      i = last > 0 ? nextBelow(f, s, i, n) : last < 0 ? nextBelow(s, f, i, n) : nextApart(f, s, i, n);
      if (i == n) break;
      last = f[i] > s[i] ? 1 : -1;
      if (size == out.length) out = java.util.Arrays.copyOf(out, size * 2);
      out[size++] = i << 1 | (last > 0 ? 1 : 0);
    }
    return java.util.Arrays.copyOf(out, size);
  }

  /** The first bar from {@code i} on where {@code a < b}; {@code n} if none. */
  private static int nextBelow(double[] a, double[] b, int i, int n) {
    for (; i < n; i++) if (a[i] < b[i]) return i;
    return n;
  }

  /** The first bar from {@code i} on where the two differ (neither is above the other: equal, or a NaN); {@code n} if none. */
  private static int nextApart(double[] a, double[] b, int i, int n) {
    for (; i < n; i++) if (a[i] > b[i] || a[i] < b[i]) return i;
    return n;
  }

  private double[] get(BarArrays b, Kind kind, int period) {
    Key key = new Key(b.from, b.to, kind, period);
    double[] s = series.get(key);
    if (s != null) return s;
    if (bytes.get() >= BUDGET_BYTES) return compute(b, kind, period);
    return series.computeIfAbsent(key, k -> {
      double[] v = compute(b, kind, period);
      bytes.addAndGet(8L * v.length);
      return v;
    });
  }

  private static double[] compute(BarArrays b, Kind kind, int period) {
    int n = b.size(), f = b.from;
    double[] out = new double[n];
    switch (kind) {
      case EMA_CLOSE -> {
        Ema e = new Ema(period);
        for (int i = 0; i < n; i++) out[i] = e.update(b.close[f + i]);
      }
      case ATR -> {
        Atr a = new Atr(period);
        for (int i = 0; i < n; i++) out[i] = a.update(b.high[f + i], b.low[f + i], b.close[f + i]);
      }
      case PRIOR_MAX_HIGH -> {
        RollingExtreme x = RollingExtreme.max(period);
        for (int i = 0; i < n; i++) {
          out[i] = x.value();
          x.update(b.high[f + i]);
        }
      }
      case PRIOR_MIN_LOW -> {
        RollingExtreme x = RollingExtreme.min(period);
        for (int i = 0; i < n; i++) {
          out[i] = x.value();
          x.update(b.low[f + i]);
        }
      }
      case RSI_CLOSE -> {
        Rsi r = new Rsi(period);
        for (int i = 0; i < n; i++) out[i] = r.update(b.close[f + i]);
      }
      case BB_MIDDLE, BB_STDDEV -> {
        // Bollinger.k only scales the deviation; the middle and the deviation do not depend on it
        Bollinger bb = new Bollinger(period, 0);
        boolean middle = kind == Kind.BB_MIDDLE;
        for (int i = 0; i < n; i++) {
          bb.update(b.close[f + i]);
          out[i] = middle ? bb.middle() : bb.stdDev();
        }
      }
    }
    return out;
  }
}
