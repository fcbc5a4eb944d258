package com.quantumtrader.cli;

import com.quantumtrader.common.Numbers;
import com.quantumtrader.strategy.BacktestResult.Summary;
import com.quantumtrader.strategy.BarArrays;
import com.quantumtrader.strategy.Template;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * What the local commands ({@code backtest}, {@code evolve}) read from their options: the template,
 * its parameters by name, and candles from a file or folder. A bad value is a usage error (exit 2)
 * that names it.
 */
final class StrategyInputs {
  private StrategyInputs() {}

  /** A template by name: {@code TREND_EMA_CROSS}, {@code trend-ema-cross} or {@code trend_ema_cross}. */
  static Template template(CommandSpec spec, String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Template t : Template.values()) if (t.name().equals(key)) return t;
    throw new ParameterException(spec.commandLine(), "--strategy: unknown template " + name + "; one of "
        + Arrays.stream(Template.values()).map(StrategyInputs::kebab).toList());
  }

  /** The template's defaults with the named values put in, checked by the template (range, whole numbers, together). */
  static double[] params(CommandSpec spec, Template t, java.util.List<String> pairs) {
    Map<String, String> named = new java.util.LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (pair.isBlank()) throw new ParameterException(spec.commandLine(), "--params: an empty entry (two commas in a row, or one at an end)");
      if (eq <= 0) throw new ParameterException(spec.commandLine(), "--params: " + pair + " is not NAME=VALUE");
      String name = pair.substring(0, eq).trim();
      if (named.put(name, pair.substring(eq + 1)) != null) {
        throw new ParameterException(spec.commandLine(), "--params: " + name + " is given twice");
      }
    }
    double[] p = t.defaults();
    for (Map.Entry<String, String> e : named.entrySet()) {
      int i;
      try {
        i = t.indexOf(e.getKey().trim());
      } catch (IllegalArgumentException ex) {
        throw new ParameterException(spec.commandLine(), "--params: " + ex.getMessage().replace(t.name(), kebab(t)));
      }
      try {
        p[i] = com.quantumtrader.common.Numbers.parse(e.getValue());
      } catch (NumberFormatException ex) {
        throw new ParameterException(spec.commandLine(), "--params: " + e.getKey().trim() + "=" + e.getValue().trim() + ": the value is not a number");
      }
    }
    try {
      t.validate(p);
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), "--params: " + ex.getMessage().replace(t.name(), kebab(t)));
    }
    return p;
  }

  /**
   * A UTC day as {@code --from} / {@code --to} take it. picocli's own conversion would show the
   * {@code DateTimeParseException}; picocli puts the option's name before this message.
   */
  static final class Day implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a day; expected YYYY-MM-DD (UTC), e.g. 2024-01-31");
      }
    }
  }

  /** The template's name as typed on the command line: {@code trend-ema-cross}. */
  static String kebab(Template t) {
    return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parameters by name, whole-number ones as integers (for JSON). */
  static Map<String, Object> named(Template t, double[] p) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      Template.Param q = t.params().get(i);
      m.put(q.name(), q.integer() ? (Object) (long) p[i] : (Object) p[i]);
    }
    return m;
  }

  /** "fast=68,slow=348,stopAtr=7.351418..." as {@code --params} takes them: each in its shortest exact form (describe rounds). */
  static String paramsOption(Template t, double[] p) {
    StringBuilder sb = new StringBuilder();
    named(t, p).forEach((k, v) -> {
      if (sb.length() > 0) sb.append(',');
      sb.append(k).append('=').append(v instanceof Double d ? Numbers.typed(d) : v.toString());
    });
    return sb.toString();
  }

  /** "fast=12 slow=26 stopAtr=2.5" (reals to four significant decimals). */
  static String describe(Template t, double[] p) {
    StringBuilder sb = new StringBuilder();
    named(t, p).forEach((k, v) -> {
      if (sb.length() > 0) sb.append(' ');
      sb.append(k).append('=').append(v instanceof Double d ? trim(d) : v.toString());
    });
    return sb.toString();
  }

  /** A Summary as JSON-ready fields. */
  static Map<String, Object> metrics(Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("totalReturn", s.totalReturn());
    m.put("sharpe", s.sharpe());
    m.put("sortino", s.sortino());
    m.put("maxDrawdown", s.maxDrawdown());
    m.put("winRate", s.winRate());
    m.put("profitFactor", s.profitFactor());
    m.put("exposure", s.exposure());
    m.put("trades", s.tradeCount());
    m.put("finalEquity", s.finalEquity());
    return m;
  }

  static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    // beyond four decimals' reach as a person would type it: 1e16, 2.5e-7 (not 1.0E16, nor 0)
    if (Double.isFinite(v) && (Math.abs(v) >= 1e15 || Math.abs(v) < 1e-4)) return Numbers.typed(v);
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** {@code n} and the noun, singular for 1: "1 bar", "2 bars". */
  static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  static String fixed(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : (Double.isNaN(v) ? "n/a" : v > 0 ? "inf" : "-inf");
  }

  static String percent(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", v * 100) : fixed(v, 2);
  }

  /**
   * A price in a trades table: four decimals from 1 up (37316.2588), six significant digits below
   * (0.0000123457: a coin's price of a fraction of a cent is not 0.0000).
   */
  static String price(double v) {
    return Double.isFinite(v) && v != 0 && Math.abs(v) < 1 ? number(v) : fixed(v, 4);
  }

  /** A quantity in a trades table: six decimals from 0.01 up, six significant digits below (not 0.000000). */
  static String quantity(double v) {
    return Double.isFinite(v) && v != 0 && Math.abs(v) < 0.01 ? number(v) : fixed(v, 6);
  }

  /** A quantity or a price with six significant digits, without trailing zeros: 0.00012346, 36123.5. */
  static String number(double v) {
    if (!Double.isFinite(v)) return fixed(v, 2);
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  static String money(double v) {
    return String.format(Locale.ROOT, "%,.2f", v);
  }

  /** An epoch-millisecond time as "2022-01-01 00:00" (UTC). */
  static String minute(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString().substring(0, 16).replace('T', ' ');
  }
}
