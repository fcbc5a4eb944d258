package com.quantumtrader.strategy;

import java.util.List;

/**
 * The strategy templates. Each has named parameters with a default and a range, so that a genetic
 * search can evolve a flat {@code double[]} in {@link #params()} order; {@link #newEngine} validates it.
 * Integer parameters (periods) must hold whole numbers.
 */
public enum Template {
  /** EMA cross: see {@link TrendEmaCross}. {@code takeProfitAtr} 0 means no take-profit. */
  TREND_EMA_CROSS(
      Param.integer("fast", 12, 2, 200),
      Param.integer("slow", 26, 3, 400),
      Param.integer("atrPeriod", 14, 2, 200),
      Param.real("stopAtr", 2.0, 0.25, 10),
      Param.real("takeProfitAtr", 0, 0, 20)) {
    @Override
    void checkTogether(double[] p) {
      if (p[0] >= p[1]) {
        throw new IllegalArgumentException(this + ": fast (" + fmt(p[0]) + ") must be < slow (" + fmt(p[1]) + ")");
      }
    }

    @Override
    SignalEngine create(double[] p) {
      return new TrendEmaCross((int) p[0], (int) p[1], (int) p[2], p[3], p[4]);
    }
  },

  /** Channel breakout: see {@link DonchianBreakout}. */
  DONCHIAN_BREAKOUT(
      Param.integer("entryPeriod", 20, 2, 400),
      Param.integer("exitPeriod", 10, 2, 400),
      Param.integer("atrPeriod", 14, 2, 200),
      Param.real("stopAtr", 2.0, 0.25, 10)) {
    @Override
    SignalEngine create(double[] p) {
      return new DonchianBreakout((int) p[0], (int) p[1], (int) p[2], p[3]);
    }
  },

  /** RSI and Bollinger mean reversion: see {@link MeanReversion}. */
  MEAN_REVERSION(
      Param.integer("rsiPeriod", 14, 2, 100),
      Param.real("rsiEntry", 30, 5, 50),
      Param.integer("bbPeriod", 20, 5, 200),
      Param.real("bbK", 2.0, 0.5, 4),
      Param.real("stopAtr", 2.0, 0.25, 10),
      Param.integer("atrPeriod", 14, 2, 200)) {
    @Override
    SignalEngine create(double[] p) {
      return new MeanReversion((int) p[0], p[1], (int) p[2], p[3], p[4], (int) p[5]);
    }
  };

  /** One parameter: its name, default, inclusive range, and whether it must be a whole number. */
  public record Param(String name, double defaultValue, double min, double max, boolean integer) {
    static Param integer(String name, double def, double min, double max) {
      return new Param(name, def, min, max, true);
    }

    static Param real(String name, double def, double min, double max) {
      return new Param(name, def, min, max, false);
    }
  }

  private final List<Param> params;

  Template(Param... params) {
    this.params = List.of(params);
  }

  /** The parameters, in the order of the {@code double[]} the engines take. */
  public List<Param> params() {
    return params;
  }

  /** The position of the named parameter in {@link #params()}. */
  public int indexOf(String name) {
    for (int i = 0; i < params.size(); i++) if (params.get(i).name().equals(name)) return i;
    throw new IllegalArgumentException(this + " has no param " + name + "; it has " + names());
  }

  /** A new array of the default values. */
  public double[] defaults() {
    double[] d = new double[params.size()];
    for (int i = 0; i < d.length; i++) d[i] = params.get(i).defaultValue();
    return d;
  }

  /**
   * Checks a parameter array: its length, each value in its range (whole for integers), then the
   * template's constraints between parameters.
   *
   * @throws IllegalArgumentException naming the offending parameter
   */
  public void validate(double[] values) {
    if (values == null) throw new IllegalArgumentException(this + ": params must not be null");
    if (values.length != params.size()) {
      throw new IllegalArgumentException(this + " takes " + params.size() + " params " + names() + ", got " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      Param p = params.get(i);
      double v = values[i];
      if (!(v >= p.min() && v <= p.max())) {
        throw new IllegalArgumentException(this + ": " + p.name() + " = " + fmt(v) + " is outside [" + fmt(p.min()) + ", " + fmt(p.max()) + "]");
      }
      if (p.integer() && v != Math.rint(v)) {
        throw new IllegalArgumentException(this + ": " + p.name() + " = " + fmt(v) + " must be a whole number");
      }
    }
    checkTogether(values);
  }

  /** A new engine for these parameters, after {@link #validate}. */
  public SignalEngine newEngine(double[] values) {
    validate(values);
    return create(values);
  }

  /** Constraints between parameters; the values are already each in range. */
  void checkTogether(double[] values) {}

  abstract SignalEngine create(double[] values);

  private List<String> names() {
    return params.stream().map(Param::name).toList();
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
