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
  /**
   * A number as a person or a file writes it: {@link Double#parseDouble}'s decimal forms (signs,
   * exponents, NaN, Infinity), not its Java ones (a {@code d} or {@code f} suffix, hexadecimal), so
   * that {@code 2d} is refused, not read as 2.
   *
   * @throws NumberFormatException when it is not one
   */
  public static double parse(String s) {
    String t = s.trim();
    String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    if (!unsigned.equals("NaN") && !unsigned.equals("Infinity")) {
      for (int i = 0; i < unsigned.length(); i++) {
        char c = unsigned.charAt(i);
        if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
          throw new NumberFormatException("not a number: " + s);
        }
      }
    }
    return Double.parseDouble(t);
  }

  public static String typed(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e-6 && a < 1e15) return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return Double.toString(v).replace(".0E", "E").replace("E", "e");
  }
}
