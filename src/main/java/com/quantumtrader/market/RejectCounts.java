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
