package com.quantumtrader.market;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a time-ordered chunk of bars into one batch per symbol, as primitive arrays. Pure. */
public final class BarBatcher {
  private BarBatcher() {}

  /**
   * One symbol's bars from a chunk, oldest first.
   *
   * @param arrivalNanos {@link System#nanoTime()} when the oldest of them reached the feed (0 if unknown)
   */
  public record Batch(String symbol, String interval, long[] openTime, double[] open, double[] high, double[] low, double[] close,
      double[] quoteVolume, long arrivalNanos) {}

  /** A bar and when it reached the feed. */
  public record Arrived(Bar bar, long nanos) {}

  public static List<Batch> splitArrived(List<Arrived> chunk) {
    Map<String, List<Bar>> by = new LinkedHashMap<>();
    Map<String, Long> first = new java.util.HashMap<>();
    for (Arrived x : chunk) {
      by.computeIfAbsent(x.bar().symbol(), s -> new ArrayList<>()).add(x.bar());
      first.putIfAbsent(x.bar().symbol(), x.nanos());
    }
    List<Batch> out = new ArrayList<>(by.size());
    for (List<Bar> bars : by.values()) {
      int n = bars.size();
      long[] t = new long[n];
      double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], q = new double[n];
      for (int i = 0; i < n; i++) {
        Bar b = bars.get(i);
        t[i] = b.openTime();
        o[i] = b.open();
        h[i] = b.high();
        l[i] = b.low();
        c[i] = b.close();
        q[i] = b.quoteVolume();
      }
      out.add(new Batch(bars.get(0).symbol(), bars.get(0).interval(), t, o, h, l, c, q, first.get(bars.get(0).symbol())));
    }
    return out;
  }
}
