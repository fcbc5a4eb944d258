package com.quantumtrader.analytics;

import akka.persistence.query.EventEnvelope;
import com.quantumtrader.analytics.AnalyticsReport.EquityPoint;
import com.quantumtrader.analytics.AnalyticsReport.StrategyMetrics;
import com.quantumtrader.common.JdbcTarget;
import com.quantumtrader.execution.PaperBroker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analytics tables and the JDBC that writes and reads them. One connection for writes (the
 * projection's streams take turns through {@code synchronized}), reopened after a failure; reads
 * open their own. Runs on the analytics dispatcher, never on an actor's thread.
 */
final class ReadSide {
  static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS qt_analytics_offset (tag VARCHAR(64) PRIMARY KEY, seq_offset BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qt_analytics_event_count (event_type VARCHAR(128) PRIMARY KEY, n BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qt_analytics_account (k VARCHAR(64) PRIMARY KEY, v DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qt_analytics_trade (trade_id VARCHAR(255) PRIMARY KEY, strategy_id VARCHAR(255) NOT NULL,"
        + " symbol VARCHAR(64) NOT NULL, side VARCHAR(8) NOT NULL, quantity DOUBLE PRECISION NOT NULL,"
        + " entry_price DOUBLE PRECISION NOT NULL, exit_price DOUBLE PRECISION NOT NULL, pnl DOUBLE PRECISION NOT NULL,"
        + " fees DOUBLE PRECISION NOT NULL, exit_kind VARCHAR(16) NOT NULL, opened_at BIGINT NOT NULL, closed_at BIGINT NOT NULL,"
        + " seq_offset BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qt_analytics_equity (bar_time BIGINT PRIMARY KEY, equity DOUBLE PRECISION NOT NULL,"
        + " cash DOUBLE PRECISION NOT NULL, gross_exposure DOUBLE PRECISION NOT NULL, realized_pnl DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS qt_analytics_strategy_mark (bar_time BIGINT NOT NULL, strategy_id VARCHAR(255) NOT NULL,"
        + " exposure DOUBLE PRECISION NOT NULL, unrealized_pnl DOUBLE PRECISION NOT NULL, PRIMARY KEY (bar_time, strategy_id))"
  };

  private final JdbcTarget db;
  private volatile boolean readSchemaReady;
  private Connection writer;
  private boolean schemaReady;

  ReadSide(JdbcTarget db) {
    this.db = db;
  }

  private Connection writer() throws SQLException {
    if (writer == null || writer.isClosed()) {
      writer = db.connect();
      writer.setAutoCommit(false);
    }
    if (!schemaReady) {
      try (Statement st = writer.createStatement()) {
        for (String sql : SCHEMA) st.execute(sql);
      }
      writer.commit();
      schemaReady = true;
    }
    return writer;
  }

  private void dropWriter() {
    try {
      if (writer != null) writer.close();
    } catch (SQLException ignored) {
      // already broken
    }
    writer = null;
  }

  synchronized long offset(String tag) {
    try {
      Connection c = writer();
      try (PreparedStatement ps = c.prepareStatement("SELECT seq_offset FROM qt_analytics_offset WHERE tag = ?")) {
        ps.setString(1, tag);
        try (ResultSet rs = ps.executeQuery()) {
          long o = rs.next() ? rs.getLong(1) : 0L;
          c.commit();
          return o;
        }
      }
    } catch (SQLException e) {
      dropWriter();
      throw AnalyticsProjection.failed("reading the offset of " + tag, e);
    }
  }

  /** Applies a group of events and moves the tag's offset to {@code last}, in one transaction. */
  synchronized void apply(String tag, List<EventEnvelope> group, long last, Duration markInterval) {
    Connection c = null;
    try {
      c = writer();
      Map<String, Long> counts = new HashMap<>();
      for (EventEnvelope env : group) {
        Object e = env.event();
        counts.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        long off = ((akka.persistence.query.Sequence) env.offset()).value();
        if (e instanceof PaperBroker.CapitalDeposited d) {
          upsertAdd(c, "qt_analytics_account", "k", "v", "capital", d.amount());
        } else if (e instanceof PaperBroker.PositionClosed pc) {
          insertTrade(c, pc, off);
        } else if (e instanceof PaperBroker.EquityMarked m) {
          insertMark(c, m);
        }
      }
      for (Map.Entry<String, Long> k : counts.entrySet()) {
        upsertAdd(c, "qt_analytics_event_count", "event_type", "n", k.getKey(), k.getValue());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE qt_analytics_offset SET seq_offset = ? WHERE tag = ?")) {
        ps.setLong(1, last);
        ps.setString(2, tag);
        if (ps.executeUpdate() == 0) {
          try (PreparedStatement ins = c.prepareStatement("INSERT INTO qt_analytics_offset (tag, seq_offset) VALUES (?, ?)")) {
            ins.setString(1, tag);
            ins.setLong(2, last);
            ins.executeUpdate();
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      if (c != null) AnalyticsProjection.rollbackQuietly(c);
      dropWriter();
      throw AnalyticsProjection.failed("applying " + group.size() + " events of " + tag, e);
    }
  }

  private static void upsertAdd(Connection c, String table, String keyCol, String valCol, String key, double add)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + valCol + " = " + valCol + " + ? WHERE " + keyCol + " = ?")) {
      ps.setDouble(1, add);
      ps.setString(2, key);
      if (ps.executeUpdate() > 0) return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + keyCol + ", " + valCol + ") VALUES (?, ?)")) {
      ps.setString(1, key);
      if (table.equals("qt_analytics_event_count")) ps.setLong(2, (long) add);
      else ps.setDouble(2, add);
      ps.executeUpdate();
    }
  }

  private static void insertTrade(Connection c, PaperBroker.PositionClosed pc, long off) throws SQLException {
    var p = pc.position();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO qt_analytics_trade (trade_id, strategy_id, symbol, side, quantity,"
        + " entry_price, exit_price, pnl, fees, exit_kind, opened_at, closed_at, seq_offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, pc.tradeId());
      ps.setString(2, p.strategyId());
      ps.setString(3, p.symbol());
      ps.setString(4, p.side().name());
      ps.setDouble(5, p.quantity());
      ps.setDouble(6, p.entryPrice());
      ps.setDouble(7, pc.exitPrice());
      ps.setDouble(8, pc.pnl());
      ps.setDouble(9, p.entryFee() + pc.exitFee());
      ps.setString(10, pc.exit());
      ps.setLong(11, p.openedAt());
      ps.setLong(12, pc.barTime());
      ps.setLong(13, off);
      ps.executeUpdate();
    }
  }

  private static void insertMark(Connection c, PaperBroker.EquityMarked m) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO qt_analytics_equity (bar_time, equity, cash, gross_exposure, realized_pnl) VALUES (?,?,?,?,?)")) {
      ps.setLong(1, m.barTime());
      ps.setDouble(2, m.equity());
      ps.setDouble(3, m.cash());
      ps.setDouble(4, m.grossExposure());
      ps.setDouble(5, m.realizedPnl());
      ps.executeUpdate();
    }
    Map<String, double[]> byStrategy = new TreeMap<>();
    for (PaperBroker.PositionMark pm : m.marks()) {
      double[] a = byStrategy.computeIfAbsent(pm.strategyId(), s -> new double[2]);
      a[0] += Math.abs(pm.quantity() * pm.mark());
      a[1] += pm.unrealizedPnl();
    }
    if (byStrategy.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO qt_analytics_strategy_mark (bar_time, strategy_id, exposure, unrealized_pnl) VALUES (?,?,?,?)")) {
      for (Map.Entry<String, double[]> e : byStrategy.entrySet()) {
        ps.setLong(1, m.barTime());
        ps.setString(2, e.getKey());
        ps.setDouble(3, e.getValue()[0]);
        ps.setDouble(4, e.getValue()[1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ----- queries

  /** Reads may come before the projection's first write: the tables are created once, not per query. */
  private void ensureSchemaForReads(Connection c) throws SQLException {
    if (readSchemaReady) return;
    try (Statement st = c.createStatement()) {
      for (String sql : SCHEMA) st.execute(sql);
    }
    readSchemaReady = true;
  }

  AnalyticsProjection.TradesReply trades(String strategyId, String symbol, int offset, int limit) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (strategyId != null) {
      where.append(" AND strategy_id = ?");
      args.add(strategyId);
    }
    if (symbol != null) {
      where.append(" AND symbol = ?");
      args.add(symbol);
    }
    try (Connection c = db.connect()) {
      ensureSchemaForReads(c);
      long total;
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM qt_analytics_trade" + where)) {
        for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<AnalyticsProjection.TradeRow> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT trade_id, strategy_id, symbol, side, quantity, entry_price, exit_price,"
          + " pnl, fees, exit_kind, opened_at, closed_at FROM qt_analytics_trade" + where
          + " ORDER BY closed_at DESC, seq_offset DESC LIMIT ? OFFSET ?")) {
        int i = 0;
        for (; i < args.size(); i++) ps.setString(i + 1, args.get(i));
        ps.setInt(i + 1, limit);
        ps.setInt(i + 2, offset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new AnalyticsProjection.TradeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getString(10),
                rs.getLong(11), rs.getLong(12)));
          }
        }
      }
      return new AnalyticsProjection.TradesReply(rows, total, null);
    } catch (SQLException e) {
      throw AnalyticsProjection.failed("reading trades", e);
    }
  }

  /** The report; {@code strategyId} null for all strategies. */
  AnalyticsReport report(String strategyId, Duration markInterval) {
    try (Connection c = db.connect()) {
      ensureSchemaForReads(c);
      double capital = 0;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM qt_analytics_account WHERE k = 'capital'")) {
        if (rs.next()) capital = rs.getDouble(1);
      }
      Map<String, Long> counts = new TreeMap<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT event_type, n FROM qt_analytics_event_count")) {
        while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
      }
      List<EquityPoint> curve = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT bar_time, equity, cash, gross_exposure, realized_pnl FROM qt_analytics_equity ORDER BY bar_time")) {
        while (rs.next()) curve.add(new EquityPoint(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)));
      }
      Map<String, List<double[]>> trades = new LinkedHashMap<>(); // strategy → {pnl, fees, closedAt}
      List<double[]> all = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT strategy_id, pnl, fees, closed_at FROM qt_analytics_trade ORDER BY closed_at, seq_offset")) {
        while (rs.next()) {
          double[] t = {rs.getDouble(2), rs.getDouble(3), rs.getLong(4)};
          trades.computeIfAbsent(rs.getString(1), s -> new ArrayList<>()).add(t);
          all.add(t);
        }
      }
      long lastMark = curve.isEmpty() ? Long.MIN_VALUE : curve.get(curve.size() - 1).barTime();
      Map<String, double[]> exposure = new TreeMap<>(); // strategy → {marks held, unrealized at the last mark}
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT strategy_id, bar_time, unrealized_pnl FROM qt_analytics_strategy_mark")) {
        while (rs.next()) {
          double[] a = exposure.computeIfAbsent(rs.getString(1), s -> new double[2]);
          a[0]++;
          if (rs.getLong(2) == lastMark) a[1] += rs.getDouble(3);
        }
      }
      for (String s : exposure.keySet()) trades.computeIfAbsent(s, k -> new ArrayList<>());

      StrategyMetrics overall = overall(capital, curve, all, exposure, markInterval);
      List<StrategyMetrics> lines = new ArrayList<>();
      Map<String, List<AnalyticsReport.CurvePoint>> curves = new TreeMap<>();
      for (Map.Entry<String, List<double[]>> e : new TreeMap<>(trades).entrySet()) {
        if (strategyId != null && !strategyId.equals(e.getKey())) continue;
        double[] ex = exposure.getOrDefault(e.getKey(), new double[2]);
        lines.add(strategy(e.getKey(), capital, e.getValue(), ex[0] / Math.max(1, curve.size()), ex[1]));
        List<AnalyticsReport.CurvePoint> points = new ArrayList<>(e.getValue().size());
        double v = capital;
        for (double[] t : e.getValue()) {
          v += t[0];
          points.add(new AnalyticsReport.CurvePoint((long) t[2], v));
        }
        curves.put(e.getKey(), points);
      }
      return new AnalyticsReport(capital, overall, lines, counts, curve, curves);
    } catch (SQLException e) {
      throw AnalyticsProjection.failed("reading the analytics tables", e);
    }
  }

  private static StrategyMetrics overall(double capital, List<EquityPoint> curve, List<double[]> trades,
      Map<String, double[]> exposure, Duration markInterval) {
    double[] equity = new double[curve.size() + 1];
    boolean[] inMarket = new boolean[curve.size()];
    equity[0] = capital;
    for (int i = 0; i < curve.size(); i++) {
      equity[i + 1] = curve.get(i).equity();
      inMarket[i] = curve.get(i).grossExposure() > 0;
    }
    double[] pnl = pnls(trades);
    double fees = 0;
    for (double[] t : trades) fees += t[1];
    double unrealized = 0;
    for (double[] e : exposure.values()) unrealized += e[1];
    double perYear = 365.25 * 24 * 3600_000.0 / markInterval.toMillis();
    double[] r = Metrics.returns(equity);
    return new StrategyMetrics("ALL", trades.size(), wins(pnl), sum(pnl), unrealized, fees,
        capital > 0 ? Metrics.totalReturn(equity) : Double.NaN, Metrics.sharpe(r, perYear), Metrics.sortino(r, perYear),
        Metrics.maxDrawdown(equity), Metrics.winRate(pnl), Metrics.profitFactor(pnl), Metrics.exposure(inMarket));
  }

  private static StrategyMetrics strategy(String id, double capital, List<double[]> trades, double exposure, double unrealized) {
    double[] pnl = pnls(trades);
    double[] equity = new double[pnl.length + 1];
    equity[0] = capital;
    double fees = 0;
    for (int i = 0; i < pnl.length; i++) {
      equity[i + 1] = equity[i] + pnl[i];
      fees += trades.get(i)[1];
    }
    double[] perTrade = new double[pnl.length];
    for (int i = 0; i < pnl.length; i++) perTrade[i] = capital > 0 ? pnl[i] / capital : Double.NaN;
    double years = pnl.length < 2 ? 0 : (trades.get(pnl.length - 1)[2] - trades.get(0)[2]) / (365.25 * 24 * 3600_000.0);
    double perYear = years > 0 ? pnl.length / years : Double.NaN;
    return new StrategyMetrics(id, pnl.length, wins(pnl), sum(pnl), unrealized, fees,
        capital > 0 ? Metrics.totalReturn(equity) : Double.NaN, Metrics.sharpe(perTrade, perYear),
        Metrics.sortino(perTrade, perYear), Metrics.maxDrawdown(equity), Metrics.winRate(pnl), Metrics.profitFactor(pnl),
        exposure);
  }

  private static double[] pnls(List<double[]> trades) {
    double[] p = new double[trades.size()];
    for (int i = 0; i < p.length; i++) p[i] = trades.get(i)[0];
    return p;
  }

  private static long wins(double[] pnl) {
    long w = 0;
    for (double p : pnl) if (p > 0) w++;
    return w;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s;
  }
}
