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
 * (for the channels: before) the view's bar {@code i}.
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

  private final ConcurrentHashMap<Key, double[]> series = new ConcurrentHashMap<>();
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
