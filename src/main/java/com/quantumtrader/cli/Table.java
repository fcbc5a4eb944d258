package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain text table: a header and rows, columns padded to their widest cell, numbers aligned
 * right. Also the formatting of the values that go into cells, so every command shows money,
 * scores and times the same way.
 */
final class Table {
  private static final String GAP = "  ";
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) r.add(c == null ? "" : safe(c.toString()));
    while (r.size() < headers.size()) r.add("");
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int n = headers.size();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    for (int i = 0; i < n; i++) {
      width[i] = headers.get(i).length();
      numeric[i] = !rows.isEmpty();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
        if (!r.get(i).isEmpty() && !isNumber(r.get(i))) numeric[i] = false;
      }
    }
    out.println(line(headers, width, numeric));
    for (List<String> r : rows) out.println(line(r, width, numeric));
    out.flush();
  }

  /** Two columns without a header: one "key  value" per line. */
  static void keyValues(PrintWriter out, Object... pairs) {
    int w = 0;
    for (int i = 0; i < pairs.length; i += 2) w = Math.max(w, pairs[i].toString().length());
    for (int i = 0; i < pairs.length; i += 2) {
      String v = pairs[i + 1] == null ? "-" : safe(pairs[i + 1].toString());
      out.println(pad(pairs[i] + ":", w + 1, false) + " " + v);
    }
    out.flush();
  }

  private static String line(List<String> cells, int[] width, boolean[] numeric) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      boolean last = i == cells.size() - 1;
      String c = cells.get(i);
      sb.append(last && !numeric[i] ? c : pad(c, width[i], numeric[i]));
      if (!last) sb.append(GAP);
    }
    return sb.toString().stripTrailing();
  }

  private static String pad(String s, int w, boolean right) {
    if (s.length() >= w) return s;
    String fill = " ".repeat(w - s.length());
    return right ? fill + s : s + fill;
  }

  private static boolean isNumber(String s) {
    return s.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?") || s.equals("NaN");
  }

  // ----- cell values

  /** Text of a JSON value; "-" for missing or null. */
  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? "-" : safe(n.asText());
  }

  /**
   * {@code s} with each character that acts on the text's display written out (a line break as {@code \n},
   * a tab as {@code \t}, others by their code, ESC as backslash-u001b: {@link
   * com.quantumtrader.common.Names#controlsText}):
   * text from the node (a reason, a name, an error) printed as it is could break a line into a forged
   * row or move the terminal's cursor. The API refuses such text now; a journal may hold some from
   * before.
   */
  static String safe(String s) {
    int i = 0;
    while (i < s.length() && !com.quantumtrader.common.Names.controlsText(s.charAt(i))) i++;
    if (i == s.length()) return s;
    StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!com.quantumtrader.common.Names.controlsText(c)) sb.append(c);
      else if (c == '\n') sb.append("\\n");
      else if (c == '\r') sb.append("\\r");
      else if (c == '\t') sb.append("\\t");
      else sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
    }
    return sb.toString();
  }

  /** A number with {@code decimals} places ("-" for missing, the text for "NaN"). */
  static String num(JsonNode n, int decimals) {
    if (n == null || n.isNull() || n.isMissingNode()) return "-";
    if (!n.isNumber()) return n.asText();
    if (n.isIntegralNumber()) return n.asText();
    return String.format(Locale.ROOT, "%." + decimals + "f", n.asDouble());
  }

  /** Money: two decimals with thousands separators. */
  static String money(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || !n.isNumber()) return text(n);
    return String.format(Locale.ROOT, "%,.2f", n.asDouble());
  }

  /** A fraction as a percentage. */
  static String percent(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || !n.isNumber()) return text(n);
    return String.format(Locale.ROOT, "%.1f%%", n.asDouble() * 100);
  }

  /** An epoch-millisecond time as ISO-8601 (0 or missing as "-"). */
  static String epochMillis(JsonNode n) {
    if (n == null || !n.isNumber() || n.asLong() == 0) return "-";
    return Instant.ofEpochMilli(n.asLong()).toString();
  }

  /** An ISO-8601 instant shortened to seconds. */
  static String time(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "-";
    try {
      return Instant.parse(n.asText()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (java.time.format.DateTimeParseException e) {
      return n.asText();
    }
  }

  /** A JSON array of strings as "a, b, c" ("(none)" when empty). */
  static String list(JsonNode n) {
    return list(n, ", ");
  }

  static String list(JsonNode n, String separator) {
    if (n == null || !n.isArray() || n.isEmpty()) return "(none)";
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(safe(x.asText())));
    return String.join(separator, out);
  }
}
