package com.quantumtrader.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds possible bad ticks: a bar whose high, low or close is {@link #FACTOR} times the close before it
 * or more (or that much below it), and whose next bar closes back within that factor of that earlier
 * close. Such a bar passes every row check ({@link BarValidator}), and a book marks, sizes and exits
 * on it. It is named, not removed: a flash crash is real too (the shared data set's only one is XL's
 * low of 5.40 on 2015-08-24). The same rule for the backtester's files ({@code BarArrays#spikes}) and
 * the live feed.
 *
 * <p>{@link #observe} takes one source's bars in time order, symbols interleaved; it is not
 * thread-safe (one per feed stream).
 */
public final class SpikeWatch {
  /** How far a bar must move from the close before it, and come back, to be named. */
  public static final double FACTOR = 3;

  /** Whether a bar with this high, low and close moved {@code factor} times {@code before} or more, up or down. */
  public static boolean jumps(double before, double high, double low, double close, double factor) {
    return high >= factor * before || low * factor <= before || close >= factor * before || close * factor <= before;
  }

  /** Whether {@code next} is back within {@code factor} of {@code before}. */
  public static boolean back(double before, double next, double factor) {
    return next < factor * before && next * factor > before;
  }

  /**
   * Whether a bar's high rose farther above {@code before} (by ratio) than its low fell below it: a
   * spike is named by its high then, else by its low (a bar all below {@code before}, high = low =
   * close, by its low).
   */
  public static boolean highIsFarther(double before, double high, double low) {
    return Math.log(high / before) >= Math.log(before / low);
  }

  /**
   * A possible bad tick: the bar of {@code symbol} opened at {@code openTime}, {@code far} its high or
   * low farthest from {@code before} (the close before it), {@code next} the next bar's close.
   */
  public record Spike(String symbol, long openTime, double before, double far, boolean high, double next) {
    /** {@code BTCUSDT bar of 2021-05-19 13:00: high 180000 after a close of 42000, next close 43100}. */
    public String describe() {
      return symbol + " bar of " + Instant.ofEpochMilli(openTime).toString().replace('T', ' ').substring(0, 16) + ": "
          + (high ? "high " : "low ") + plain(far) + " after a close of " + plain(before) + ", next close " + plain(next);
    }

    /** Plain digits for a price of a real market; a number beyond them in Java's E form (1e-300 was 300 zeros). */
    private static String plain(double x) {
      double a = Math.abs(x);
      if (a != 0 && (a < 1e-9 || a >= 1e15)) return Double.toString(x);
      return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
  }

  private final double factor;
  private final Map<String, Last> last = new HashMap<>();

  /** One symbol's latest close, and its latest bar if that jumped (waiting for the next to come back). */
  private static final class Last {
    double close = Double.NaN;
    boolean jumped;
    long jumpTime;
    double jumpBefore, jumpFar;
    boolean jumpHigh;
  }

  public SpikeWatch(double factor) {
    if (!(factor > 1)) throw new IllegalArgumentException("factor must be > 1, was " + factor);
    this.factor = factor;
  }

  /**
   * Takes the next bar (valid: {@link BarValidator}) and returns the spike it confirms: its symbol's
   * bar before it, if that one jumped and this one closes back; null otherwise.
   */
  public Spike observe(Bar b) {
    Last l = last.computeIfAbsent(b.symbol(), s -> new Last());
    Spike confirmed = l.jumped && back(l.jumpBefore, b.close(), factor)
        ? new Spike(b.symbol(), l.jumpTime, l.jumpBefore, l.jumpFar, l.jumpHigh, b.close()) : null;
    l.jumped = l.close > 0 && jumps(l.close, b.high(), b.low(), b.close(), factor);
    if (l.jumped) {
      l.jumpTime = b.openTime();
      l.jumpBefore = l.close;
      l.jumpHigh = highIsFarther(l.close, b.high(), b.low());
      l.jumpFar = l.jumpHigh ? b.high() : b.low();
    }
    l.close = b.close();
    return confirmed;
  }
}
