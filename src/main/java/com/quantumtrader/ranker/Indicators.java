package com.quantumtrader.ranker;

import com.quantumtrader.indicators.Atr;
import com.quantumtrader.indicators.Ema;
import com.quantumtrader.indicators.RollingWindow;
import com.quantumtrader.indicators.Wilder;


/**
 * The rolling indicators of one symbol, updated in O(1) per bar with no re-scan of history. The
 * definitions and their start-up (seeding) follow ta4j's, which the tests use as the reference:
 *
 * <ul>
 *   <li>EMA(n): multiplier 2/(n+1), seeded with the first close.
 *   <li>ATR(n): Wilder's moving average (multiplier 1/n, seeded with the first value) of the true
 *       range, whose first value is high - low.
 *   <li>ADX(n): Wilder averages of +DM and -DM (0 on the first bar), +DI and -DI = 100 × average DM /
 *       ATR, DX = 100 × |+DI - -DI| / (+DI + -DI) (0 when both are 0), ADX = Wilder average of DX.
 *   <li>realized volatility: population standard deviation of the last n log returns (the first
 *       bar's return is 0).
 *   <li>average quote volume and average range (high - low) / close: simple means of the last n.
 *   <li>returns over k bars: close / close k bars ago - 1 (from the first close while fewer exist).
 * </ul>
 *
 * Doubles throughout: this is the hot path. Not thread-safe; one instance per symbol, owned by its
 * ranker worker.
 */
public final class Indicators {
  public static final int EMA_FAST = 12;
  public static final int EMA_SLOW = 26;
  public static final int ATR_N = 14;
  public static final int ADX_N = 14;
  public static final int VOL_N = 24;
  public static final int LIQ_N = 24;
  public static final int[] RETURN_WINDOWS = {1, 24, 168};

  private long bars;
  private long lastOpenTime = Long.MIN_VALUE;
  private double prevClose, prevHigh, prevLow, prevEmaSlow;
  // The shared primitives (indicators/): the same code the strategies run.
  private final Ema emaFast = new Ema(EMA_FAST);
  private final Ema emaSlow = new Ema(EMA_SLOW);
  private final Atr atr = new Atr(ATR_N);
  private final Wilder plusDm = new Wilder(ADX_N);
  private final Wilder minusDm = new Wilder(ADX_N);
  private final Wilder adx = new Wilder(ADX_N);
  private RollingWindow logReturns = new RollingWindow(VOL_N);
  private RollingWindow quoteVolume = new RollingWindow(LIQ_N);
  private RollingWindow range = new RollingWindow(LIQ_N);
  private RollingWindow closes = new RollingWindow(RETURN_WINDOWS[RETURN_WINDOWS.length - 1] + 1);

  /** Feeds one bar; bars must come in time order (a feed rejects the others before they get here). */
  public void update(long openTime, double high, double low, double close, double quoteVol) {
    double upDm = 0, downDm = 0;
    prevEmaSlow = bars == 0 ? close : emaSlow.value();
    if (bars == 0) {
      logReturns.add(0.0);
    } else {
      double up = high - prevHigh, down = prevLow - low;
      if (up > down && up > 0) upDm = up;
      if (down > up && down > 0) downDm = down;
      logReturns.add(Math.log(close / prevClose));
    }
    emaFast.update(close);
    emaSlow.update(close);
    atr.update(high, low, close);
    plusDm.update(upDm);
    minusDm.update(downDm);
    adx.update(dx());
    quoteVolume.add(quoteVol);
    range.add((high - low) / close);
    closes.add(close);
    prevClose = close;
    prevHigh = high;
    prevLow = low;
    lastOpenTime = openTime;
    bars++;
  }

  private double dx() {
    double pdi = plusDi(), mdi = minusDi();
    double sum = pdi + mdi;
    return sum == 0 ? 0 : Math.abs(pdi - mdi) / sum * 100.0;
  }

  public long bars() {
    return bars;
  }

  public long lastOpenTime() {
    return lastOpenTime;
  }

  public double close() {
    return prevClose;
  }

  public double emaFast() {
    return emaFast.value();
  }

  public double emaSlow() {
    return emaSlow.value();
  }

  /** Change of the slow EMA over the last bar, in ATRs. */
  public double emaSlowSlopeInAtr() {
    double a = atr();
    return a == 0 ? 0 : (emaSlow.value() - prevEmaSlow) / a;
  }

  /** 0 before the first bar. */
  public double atr() {
    return bars == 0 ? 0 : atr.value();
  }

  public double plusDi() {
    double a = atr();
    return a == 0 ? 0 : plusDm.value() / a * 100.0;
  }

  public double minusDi() {
    double a = atr();
    return a == 0 ? 0 : minusDm.value() / a * 100.0;
  }

  public double adx() {
    return bars == 0 ? 0 : adx.value();
  }

  /** Standard deviation of the last {@link #VOL_N} log returns, per bar. */
  public double realizedVol() {
    return logReturns.stdDev();
  }

  public double avgQuoteVolume() {
    return quoteVolume.mean();
  }

  /** Mean of (high - low) / close over the last {@link #LIQ_N} bars: a spread and impact proxy. */
  public double avgRange() {
    return range.mean();
  }

  /** close / close {@code k} bars ago - 1, from the first close while fewer bars exist. */
  public double returnOver(int k) {
    if (k >= closes.size()) throw new IllegalArgumentException("return window " + k + " is longer than kept");
    double then = closes.ago(k);
    return prevClose / then - 1.0;
  }

  // ----- state for persistence: plain values, so a worker that moves resumes exactly where it was.

  public State state() {
    return new State(bars, lastOpenTime, prevClose, prevHigh, prevLow, prevEmaSlow, emaFast.value(), emaSlow.value(), atr.value(),
        plusDm.value(), minusDm.value(), adx.value(),
        window(logReturns), window(quoteVolume), window(range), window(closes));
  }

  public static Indicators fromState(State s) {
    Indicators i = new Indicators();
    i.bars = s.bars();
    i.lastOpenTime = s.lastOpenTime();
    i.prevClose = s.prevClose();
    i.prevHigh = s.prevHigh();
    i.prevLow = s.prevLow();
    i.prevEmaSlow = s.prevEmaSlow();
    i.emaFast.restore(s.emaFast(), s.bars());
    i.emaSlow.restore(s.emaSlow(), s.bars());
    i.atr.restore(s.atr(), s.bars(), s.prevClose());
    i.plusDm.restore(s.plusDm(), s.bars());
    i.minusDm.restore(s.minusDm(), s.bars());
    i.adx.restore(s.adx(), s.bars());
    i.logReturns = restore(i.logReturns, s.logReturns());
    i.quoteVolume = restore(i.quoteVolume, s.quoteVolume());
    i.range = restore(i.range, s.range());
    i.closes = restore(i.closes, s.closes());
    return i;
  }

  private static Window window(RollingWindow w) {
    return new Window(w.valuesCopy(), w.count(), w.next(), w.mean(), w.m2());
  }

  /** The saved window, which must have the size of {@code empty} (this class's window sizes). */
  private static RollingWindow restore(RollingWindow empty, Window w) {
    if (w.values().length != empty.size()) {
      throw new IllegalArgumentException("saved window of " + w.values().length + " values, expected " + empty.size());
    }
    return RollingWindow.restore(w.values(), w.count(), w.next(), w.mean(), w.m2());
  }

  /** A rolling window's contents. */
  public record Window(double[] values, int count, int next, double mean, double m2)
      implements com.quantumtrader.common.CborSerializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof Window w && java.util.Arrays.equals(values, w.values) && count == w.count && next == w.next
          && Double.compare(mean, w.mean) == 0 && Double.compare(m2, w.m2) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(values) * 31 + count;
    }
  }

  /** Everything {@link Indicators} holds. */
  public record State(
      long bars, long lastOpenTime, double prevClose, double prevHigh, double prevLow, double prevEmaSlow,
      double emaFast, double emaSlow, double atr, double plusDm, double minusDm, double adx,
      Window logReturns, Window quoteVolume, Window range, Window closes)
      implements com.quantumtrader.common.CborSerializable {}
}
