package com.quantumtrader.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A self-contained HTML page (inline SVG, no scripts, no network) with an equity curve, its
 * drawdown below it, and a table of figures: what {@code backtest} writes for a person to look at.
 * The x axis is time (a gap in the bars, or a walk-forward window left out, is a straight stretch
 * of the curve, as long as the gap), with five dates under it; the y axis has the lowest, middle
 * and highest equity, with grid lines, and a dashed line at the starting equity. When the highest
 * equity is 4 times the lowest or more (a run that lost three quarters, or quadrupled) the y axis is
 * logarithmic, and says so: on a linear one the years after a deep loss are a flat line at the
 * bottom. The drawdown panel is labelled 0 % at its top and its deepest at its bottom.
 */
public final class EquityChart {
  private EquityChart() {}

  private static final int W = 1000, H = 360, DD_H = 120, PAD = 50, LEFT = 90; // LEFT: room for "1,000,000.00"
  /** The ratio of the highest to the lowest equity from which the y axis is logarithmic. */
  static final double LOG_FROM = 4;

  /**
   * @param times bar open times, epoch ms, one per equity point
   * @param equity equity after each bar
   * @param figures label → value, shown in a table under the chart (in order)
   */
  public static void write(Path file, String title, long[] times, double[] equity, Map<String, String> figures) throws IOException {
    if (times.length != equity.length) throw new IllegalArgumentException("one time per equity point");
    StringBuilder svg = new StringBuilder();
    int n = equity.length;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (double e : equity) {
      min = Math.min(min, e);
      max = Math.max(max, e);
    }
    if (n == 0 || !(max > min)) {
      max = (n == 0 ? 1 : equity[0]) * 1.01;
      min = (n == 0 ? 0 : equity[0]) * 0.99;
    }
    boolean log = min > 0 && max / min >= LOG_FROM;
    final double lo = min, hi = max;
    java.util.function.DoubleUnaryOperator yOf = v -> PAD + (H - 2.0 * PAD) * (1 - (log ? Math.log(v / lo) / Math.log(hi / lo)
        : (v - lo) / (hi - lo)));
    int step = Math.max(1, n / 2000); // at most ~2,000 points drawn
    StringBuilder line = new StringBuilder(), dd = new StringBuilder();
    double peak = Double.NEGATIVE_INFINITY, worst = 0;
    double[] draw = new double[n];
    for (int i = 0; i < n; i++) {
      peak = Math.max(peak, equity[i]);
      draw[i] = peak > 0 ? (peak - equity[i]) / peak : 0;
      worst = Math.max(worst, draw[i]);
    }
    long t0 = n == 0 ? 0 : times[0], span = n == 0 ? 0 : times[n - 1] - times[0];
    for (int i = 0; i < n; i = i + step < n - 1 || i == n - 1 ? i + step : n - 1) { // every step-th point, and the last
      // by time; by bar when the times do not span (a single time, or not in order)
      double x = LEFT + (W - LEFT - PAD) * (span > 0 ? (double) (times[i] - t0) / span : (double) i / Math.max(1, n - 1));
      double y = yOf.applyAsDouble(equity[i]);
      line.append(String.format("%.1f,%.1f ", x, y));
      double yd = H + 10 + DD_H * (worst > 0 ? draw[i] / worst : 0);
      dd.append(String.format("%.1f,%.1f ", x, yd));
    }
    svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
        W, H + DD_H + 40));
    svg.append(String.format("<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#ccc'/>%n", LEFT, PAD, W - LEFT - PAD,
        H - 2 * PAD));
    int labelX = LEFT - 6; // right-aligned against the plot
    svg.append(String.format("<text x='%d' y='%d' text-anchor='end'>%,.2f</text><text x='%d' y='%d' text-anchor='end'>%,.2f</text>%n",
        labelX, PAD + 4, max, labelX, H - PAD + 4, min));
    int mid = PAD + (H - 2 * PAD) / 2;
    svg.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#eee'/><text x='%d' y='%d' text-anchor='end'>%,.2f</text>%n",
        LEFT, mid, W - PAD, mid, labelX, mid + 4, log ? Math.sqrt(max * min) : (max + min) / 2));
    if (log) svg.append(String.format("<text x='%d' y='%d'>equity, log scale</text>%n", LEFT, PAD - 8));
    if (n > 0 && equity[0] > min && equity[0] < max) { // where the run started: above it is a gain
      double y0 = yOf.applyAsDouble(equity[0]);
      svg.append(String.format("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#999' stroke-dasharray='4 4'/>%n", LEFT, y0, W - PAD, y0));
    }
    if (n > 0) {
      for (int k = 0; k <= 4; k++) { // five dates: the first, the last and three between
        double x = LEFT + (W - LEFT - PAD) * k / 4.0;
        long t = span > 0 ? t0 + span * k / 4 : times[(int) ((long) (n - 1) * k / 4)];
        String anchor = k == 0 ? "start" : k == 4 ? "end" : "middle";
        if (k > 0 && k < 4) svg.append(String.format("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#eee'/>%n", x, PAD, x, H - PAD));
        svg.append(String.format("<text x='%.1f' y='%d' text-anchor='%s'>%s</text>%n", x, H - PAD + 18, anchor,
            Instant.ofEpochMilli(t).toString().substring(0, 10)));
      }
    }
    svg.append("<polyline fill='none' stroke='#1f6feb' stroke-width='1.5' points='").append(line).append("'/>\n");
    svg.append(String.format("<text x='%d' y='%d'>drawdown (max %.1f%%)</text>%n", LEFT, H + 6, 100 * worst));
    svg.append(String.format("<text x='%d' y='%d' text-anchor='end'>0%%</text><text x='%d' y='%d' text-anchor='end'>-%.1f%%</text>%n",
        labelX, H + 14, labelX, H + 10 + DD_H + 4, 100 * worst));
    svg.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#eee'/>%n", LEFT, H + 10, W - PAD, H + 10));
    svg.append("<polyline fill='none' stroke='#d1242f' stroke-width='1' points='").append(dd).append("'/>\n");
    svg.append("</svg>\n");
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset='utf-8'><title>").append(escape(title)).append("</title>")
        .append("<style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px}td:first-child{color:#555}</style></head><body>\n")
        .append("<h2>").append(escape(title)).append("</h2>\n").append(svg).append("<table>\n");
    for (Map.Entry<String, String> f : figures.entrySet()) {
      html.append("<tr><td>").append(escape(f.getKey())).append("</td><td>").append(escape(f.getValue())).append("</td></tr>\n");
    }
    html.append("</table></body></html>\n");
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  /**
   * Why a file could not be written, in words: the NIO exceptions' messages are only the path
   * ("cannot write the chart x.html: x.html").
   */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException n) {
      Path parent = n.getFile() == null ? null : Path.of(n.getFile()).toAbsolutePath().getParent();
      if (parent == null) return "no such file or folder";
      // a folder that exists and takes no new file (/proc, as root: writable by its mode)
      return Files.isDirectory(parent) ? "no file can be made in " + parent : "the folder " + parent + " does not exist";
    }
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
