package com.quantumtrader.market;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Rejected rows per symbol and reason, and accepted bars per symbol. Thread-safe. */
public final class RejectCounts {
  private final Map<String, AtomicLongArray> rejected = new ConcurrentHashMap<>();
  private final Map<String, long[]> accepted = new ConcurrentHashMap<>();

  public void reject(String symbol, RejectReason reason) {
    rejected.computeIfAbsent(symbol, s -> new AtomicLongArray(RejectReason.values().length)).incrementAndGet(reason.ordinal());
  }

  public void accept(String symbol) {
    long[] n = accepted.computeIfAbsent(symbol, s -> new long[1]);
    synchronized (n) {
      n[0]++;
    }
  }

  public long rejected(String symbol, RejectReason reason) {
    AtomicLongArray a = rejected.get(symbol);
    return a == null ? 0 : a.get(reason.ordinal());
  }

  public long rejectedTotal() {
    long t = 0;
    for (AtomicLongArray a : rejected.values()) for (int i = 0; i < a.length(); i++) t += a.get(i);
    return t;
  }

  public long accepted(String symbol) {
    long[] n = accepted.get(symbol);
    if (n == null) return 0;
    synchronized (n) {
      return n[0];
    }
  }

  /**
   * What was left out, e.g. "left out 2 rows that are not valid bars: BTCUSDT 1 NOT_FINITE, 1
   * NON_POSITIVE_PRICE"; null if nothing was.
   */
  public String summary() {
    long total = rejectedTotal();
    if (total == 0) return null;
    StringBuilder b = new StringBuilder("left out " + total + (total == 1 ? " row that is not a valid bar:" : " rows that are not valid bars:"));
    String sep = " ";
    for (Map.Entry<String, Map<RejectReason, Long>> e : snapshot().entrySet()) {
      b.append(sep).append(e.getKey());
      String inner = " ";
      for (Map.Entry<RejectReason, Long> r : e.getValue().entrySet()) {
        b.append(inner).append(r.getValue()).append(' ').append(r.getKey());
        inner = ", ";
      }
      sep = "; ";
    }
    return b.toString();
  }

  /** symbol -> reason -> count, only non-zero counts, sorted. */
  public Map<String, Map<RejectReason, Long>> snapshot() {
    Map<String, Map<RejectReason, Long>> out = new TreeMap<>();
    rejected.forEach((sym, a) -> {
      Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
      for (RejectReason r : RejectReason.values()) if (a.get(r.ordinal()) > 0) m.put(r, a.get(r.ordinal()));
      if (!m.isEmpty()) out.put(sym, m);
    });
    return out;
  }
}
