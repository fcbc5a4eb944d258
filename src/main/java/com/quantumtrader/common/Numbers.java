package com.quantumtrader.common;

import java.math.BigDecimal;

/** Numbers written back to a person, as they would type them. */
public final class Numbers {
  private Numbers() {}

  /**
   * {@code v} in its shortest exact form, without Java's decoration: 1000 (not 1000.0), 0.00015
   * (not 1.5E-4), 2.5e16 and 1e-9 (not 2.5E16, 1.0E-9), NaN, Infinity. For an error message that
   * echoes a value: what it shows is the value refused, never a rounding of it.
   */
  public static String typed(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e-6 && a < 1e15) return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return Double.toString(v).replace(".0E", "E").replace("E", "e");
  }
}
