package com.quantumtrader.app;

import com.quantumtrader.common.ConfigReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal's tables at start-up, from the DDL that ships inside akka-persistence-jdbc,
 * made idempotent: every CREATE gets IF NOT EXISTS (the shipped PostgreSQL script has indexes
 * without it, and CREATE INDEX CONCURRENTLY, which we drop: the tables are empty when it runs).
 * Any SQL error stops start-up with its message; nothing is swallowed.
 */
public final class JournalSchema {
  private static final Logger log = LoggerFactory.getLogger(JournalSchema.class);
  private static final Pattern CREATE_INDEX =
      Pattern.compile("(?i)CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?(IF\\s+NOT\\s+EXISTS\\s+)?");
  private static final Pattern CREATE_OTHER =
      Pattern.compile("(?i)CREATE\\s+(TABLE|SEQUENCE)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?");
  /** A WRITE_DELAY setting in an H2 URL (H2 applies it on each connection). */
  private static final Pattern URL_WRITE_DELAY = Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=([^;]*)");
  /** H2's in-memory file systems (the database looks like a file one, and is gone when the JVM exits). */
  private static final Pattern IN_MEMORY_FILE_SYSTEM =
      Pattern.compile("(?i)^jdbc:h2:(?:(?:tcp|ssl)://[^/]*/)?(?:memFS|memLZF|nioMemFS|nioMemLZF):");
  /** Serializes schema creation between nodes that start at the same time on one PostgreSQL. */
  private static final long ADVISORY_LOCK = 0x5154_4A4F_5552_4EL; // "QTJOURN"

  private JournalSchema() {}

  /** A database that could not be reached or prepared; the message is one line. */
  public static final class SchemaException extends RuntimeException {
    SchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The plugin's DDL for this database, rewritten to be idempotent, one statement per element. */
  static List<String> statements(Settings.DbKind kind) {
    String resource =
        kind == Settings.DbKind.H2 ? "schema/h2/h2-create-schema.sql" : "schema/postgres/postgres-create-schema.sql";
    String ddl;
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("akka-persistence-jdbc's " + resource + " is not on the classpath");
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    List<String> out = new ArrayList<>();
    for (String raw : ddl.split(";")) {
      String s = raw.strip();
      if (s.isEmpty()) continue;
      s = CREATE_INDEX.matcher(s).replaceFirst(m -> "CREATE " + (m.group(1) == null ? "" : "UNIQUE ") + "INDEX IF NOT EXISTS ");
      s = CREATE_OTHER.matcher(s).replaceFirst(m -> "CREATE " + m.group(1).toUpperCase(Locale.ROOT) + " IF NOT EXISTS ");
      if (!s.toUpperCase(Locale.ROOT).startsWith("CREATE") || !s.toUpperCase(Locale.ROOT).contains("IF NOT EXISTS")) {
        throw new IllegalStateException("unexpected statement in " + resource + ": " + s);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Connects (retrying until the connect timeout: a database may start after the node) and creates
   * what is missing.
   */
  public static void ensure(Settings settings) {
    Settings.Db db = settings.db();
    String url = db.jdbcUrl(settings.node().dataDir());
    // an operator's URL is named as given (not with the settings the node adds to it)
    String shown = db.url().isEmpty() ? url : db.url();
    if (db.kind() == Settings.DbKind.H2 && db.url().isEmpty()) {
      try {
        Files.createDirectories(settings.node().dataDir().toAbsolutePath());
      } catch (IOException e) {
        throw new SchemaException("cannot create data folder " + settings.node().dataDir().toAbsolutePath() + ": " + e, e);
      }
    }
    long deadline = System.nanoTime() + db.connectTimeout().toNanos();
    long backoffMs = 250;
    while (true) {
      Connection c;
      try {
        c = DriverManager.getConnection(url, db.effectiveUser(), db.password());
      } catch (SQLException e) {
        if (System.nanoTime() + backoffMs * 1_000_000 > deadline || !isConnectFailure(e)) {
          throw new SchemaException("cannot open the journal database " + redact(shown) + ": " + ConfigReader.oneLine(e), e);
        }
        log.warn("journal database {} not reachable yet ({}); retrying", redact(shown), ConfigReader.oneLine(e));
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 4000);
        continue;
      }
      try (c) {
        if (db.kind() == Settings.DbKind.H2) durable(c, shown);
        create(c, db.kind());
        log.info("journal schema ready ({} at {})", db.kind(), redact(shown));
        return;
      } catch (SQLException e) {
        throw new SchemaException("cannot create the journal schema in " + redact(shown) + ": " + ConfigReader.oneLine(e), e);
      }
    }
  }

  /**
   * An H2 journal must keep what it acknowledged: not in memory only (no database file), and with each
   * commit in the file when it returns. H2 writes a commit to its file up to {@code WRITE_DELAY} ms
   * later (500 by default), and a node killed in that time loses writes it had acknowledged. The
   * embedded journal's URL sets the delay to 0; an operator's own H2 URL may not: the delay is set to
   * 0 here (H2 keeps the setting in the database) or, when the user may not set it (admin rights),
   * start-up stops and says how to set it. A URL that sets a delay itself is refused (H2 would set it
   * again on each of the pool's connections), and so are H2's in-memory file systems.
   */
  static void durable(Connection c, String url) throws SQLException {
    if (IN_MEMORY_FILE_SYSTEM.matcher(url).find()) {
      throw new SchemaException("the journal database " + redact(url) + " is on one of H2's in-memory file systems: everything the"
          + " node acknowledged would be lost when it stops; use an H2 file database (an empty QT_DB_URL: the data folder's) or"
          + " PostgreSQL", null);
    }
    java.util.regex.Matcher m = URL_WRITE_DELAY.matcher(url);
    while (m.find()) {
      if (!m.group(1).strip().equals("0")) {
        throw new SchemaException("the journal database URL " + redact(url) + " sets WRITE_DELAY=" + m.group(1).strip() + ": H2 applies"
            + " it on every connection, so a commit would reach the file up to that many ms after it is acknowledged, and a node killed"
            + " in that time loses acknowledged writes; remove it from QT_DB_URL or set it to 0", null);
      }
    }
    try (Statement st = c.createStatement()) {
      boolean file;
      try (ResultSet r = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_SIZE'")) {
        file = r.next() && r.getInt(1) > 0;
      }
      if (!file) {
        throw new SchemaException("the journal database " + redact(url) + " is in memory: everything the node acknowledged would be"
            + " lost when it stops; use an H2 file database (an empty QT_DB_URL: the data folder's) or PostgreSQL", null);
      }
      long delay;
      try (ResultSet r = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
        delay = r.next() ? Long.parseLong(r.getString(1).strip()) : 0;
      }
      if (delay <= 0) return;
      try {
        st.execute("SET WRITE_DELAY 0");
      } catch (SQLException e) {
        throw new SchemaException("the journal database " + redact(url) + " writes a commit to its file up to " + delay + " ms after"
            + " acknowledging it (H2's WRITE_DELAY), and a node killed in that time loses acknowledged writes; its user may not"
            + " change that (" + ConfigReader.oneLine(e) + "): run SET WRITE_DELAY 0 once as an admin user of that database"
            + " (H2 keeps it), or use the embedded journal (an empty QT_DB_URL)", e);
      }
      log.info("journal database {}: WRITE_DELAY set from {} ms to 0 (kept in the database): a commit is in the file when"
          + " it is acknowledged", redact(url), delay);
    }
  }

  private static void create(Connection c, Settings.DbKind kind) throws SQLException {
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      if (kind == Settings.DbKind.POSTGRES) st.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
      try {
        for (String sql : statements(kind)) st.execute(sql);
      } finally {
        if (kind == Settings.DbKind.POSTGRES) st.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
      }
    }
  }

  private static boolean isConnectFailure(SQLException e) {
    String state = e.getSQLState();
    // 08xxx: connection exceptions; 57P03: the server is starting up.
    return state != null && (state.startsWith("08") || state.equals("57P03"));
  }

  /** JDBC URLs may carry a password parameter. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaException("interrupted while waiting for the journal database", e);
    }
  }
}
