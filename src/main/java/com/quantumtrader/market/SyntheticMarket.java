package com.quantumtrader.market;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic market: many symbols driven by one market factor that switches between
 * regimes (calm trend, range, high volatility, crash), each symbol with its own beta, idiosyncratic
 * volatility and volume level. Volume rises with volatility. The same seed gives the same bars.
 *
 * <p>Bars come out one time step at a time, every symbol per step, in symbol order: the order a
 * live feed would deliver them.
 */
public final class SyntheticMarket implements BarSource {

  public enum Regime {
    CALM_TREND(0.00025, 0.0035),
    RANGE(0.0, 0.0030),
    HIGH_VOLATILITY(0.0, 0.0120),
    CRASH(-0.0060, 0.0200);

    /** Market factor drift and volatility per bar (log terms, 1-hour bars). */
    final double drift;
    final double vol;

    Regime(double drift, double vol) {
      this.drift = drift;
      this.vol = vol;
    }
  }

  private final SplittableRandom rnd;
  private final String interval;
  private final long stepMillis;
  private final List<String> symbols = new ArrayList<>();
  private final double[] beta, idioVol, price, baseVolume, drift;
  private final RejectCounts counts = new RejectCounts();
  private final long maxSteps;
  private Regime regime = Regime.CALM_TREND;
  private Regime forced;
  private long step;
  private int symbolIndex;
  private long time;
  private double factorReturn;
  private double rangeAnchor; // mean level the range regime reverts to (log)
  private double factorLevel;

  /**
   * @param symbols how many symbols (named SYN000, SYN001, ...)
   * @param startMillis open time of the first bar
   * @param maxSteps how many time steps before the market ends (Long.MAX_VALUE: never)
   */
  public SyntheticMarket(long seed, int symbols, String interval, long startMillis, long maxSteps) {
    if (symbols < 1) throw new IllegalArgumentException("a market needs at least one symbol");
    this.rnd = new SplittableRandom(seed);
    this.interval = interval;
    this.stepMillis = com.quantumtrader.ranker.Scoring.intervalMillis(interval);
    this.maxSteps = maxSteps;
    this.time = startMillis;
    beta = new double[symbols];
    idioVol = new double[symbols];
    price = new double[symbols];
    baseVolume = new double[symbols];
    drift = new double[symbols];
    for (int i = 0; i < symbols; i++) {
      this.symbols.add(String.format("SYN%03d", i));
      beta[i] = 0.5 + rnd.nextDouble() * 1.2;
      idioVol[i] = 0.002 + rnd.nextDouble() * 0.006;
      price[i] = Math.exp(1 + rnd.nextDouble() * 8); // ~3 .. ~8000
      baseVolume[i] = Math.exp(12 + rnd.nextDouble() * 6) / price[i]; // quote volume per bar ~1.6e5 .. ~6.6e7
      drift[i] = (rnd.nextDouble() - 0.5) * 0.0004; // each symbol has its own small edge
    }
  }

  private long crashAt = -1;
  private int crashSteps;

  /**
   * Plants a crash: calm trend until time step {@code at}, a crash for {@code steps} steps, then the
   * regime chain runs on from there. The calm lead-in makes the switch the crash causes attributable
   * to it. {@code at} -1: no crash planted.
   */
  public SyntheticMarket plantCrash(long at, int steps) {
    this.crashAt = at;
    this.crashSteps = steps;
    return this;
  }

  /** Forces a regime from the next time step on (e.g. a planted crash in a test); null to release. */
  public void force(Regime r) {
    forced = r;
  }

  public Regime regime() {
    return regime;
  }

  public long step() {
    return step;
  }

  @Override
  public List<String> symbols() {
    return symbols;
  }

  @Override
  public RejectCounts rejects() {
    return counts;
  }

  @Override
  public Bar next() {
    if (symbolIndex == 0) {
      if (step >= maxSteps) return null;
      advanceFactor();
    }
    int i = symbolIndex;
    double r = beta[i] * factorReturn + drift[i] + gaussian() * idioVol[i] * volScale();
    double open = price[i];
    double close = open * Math.exp(r);
    double barVol = Math.abs(r) + idioVol[i] * volScale();
    double high = Math.max(open, close) * Math.exp(Math.abs(gaussian()) * barVol * 0.5);
    double low = Math.min(open, close) * Math.exp(-Math.abs(gaussian()) * barVol * 0.5);
    double volume = baseVolume[i] * Math.exp(0.3 * gaussian()) * (1 + 40 * Math.abs(r));
    price[i] = close;
    Bar b = Bar.of(symbols.get(i), interval, time, open, high, low, close, volume);
    symbolIndex++;
    if (symbolIndex == symbols.size()) {
      symbolIndex = 0;
      time += stepMillis;
      step++;
    }
    counts.accept(b.symbol());
    return b;
  }

  private double volScale() {
    return regime == Regime.HIGH_VOLATILITY || regime == Regime.CRASH ? 2.0 : 1.0;
  }

  private void advanceFactor() {
    if (crashAt >= 0) {
      if (step < crashAt) forced = Regime.CALM_TREND;
      else if (step < crashAt + crashSteps) forced = Regime.CRASH;
      else if (step == crashAt + crashSteps) forced = null;
    }
    Regime next = forced != null ? forced : switchRegime();
    if (next != regime && next == Regime.RANGE) rangeAnchor = factorLevel;
    regime = next;
    double f = regime.drift + gaussian() * regime.vol;
    if (regime == Regime.RANGE) f += (rangeAnchor - factorLevel) * 0.05; // mean reversion
    factorReturn = f;
    factorLevel += f;
  }

  /** A Markov chain: regimes persist for days; crashes are rare and short. */
  private Regime switchRegime() {
    double u = rnd.nextDouble();
    return switch (regime) {
      case CALM_TREND -> u < 0.004 ? Regime.RANGE : u < 0.006 ? Regime.HIGH_VOLATILITY : u < 0.0065 ? Regime.CRASH : regime;
      case RANGE -> u < 0.004 ? Regime.CALM_TREND : u < 0.006 ? Regime.HIGH_VOLATILITY : regime;
      case HIGH_VOLATILITY -> u < 0.01 ? Regime.RANGE : u < 0.012 ? Regime.CRASH : regime;
      case CRASH -> u < 0.08 ? Regime.HIGH_VOLATILITY : regime;
    };
  }

  private double gaussian() {
    // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian in Java 17).
    double u1 = rnd.nextDouble(), u2 = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1 <= 0 ? Double.MIN_VALUE : u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public void close() {}
}
