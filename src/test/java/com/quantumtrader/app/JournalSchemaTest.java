package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.Test;

public class JournalSchemaTest {

  @Test
  public void everyStatementOfTheShippedDdlIsMadeIdempotent() {
    for (Settings.DbKind kind : Settings.DbKind.values()) {
      for (String s : JournalSchema.statements(kind)) {
        assertTrue(s, s.contains("IF NOT EXISTS"));
        assertTrue("no CONCURRENTLY: " + s, !s.toUpperCase().contains("CONCURRENTLY"));
      }
    }
  }

  @Test
  public void postgresSchemaCanBeCreatedTwice() throws Exception {
    String url = PostgresServer.get().newDatabase();
    Settings s = Settings.load(TestNodes.postgres(url, Map.of())); // creates it once
    JournalSchema.ensure(s); // and again: nothing to do, no error
    try (Connection c = DriverManager.getConnection(url, PostgresServer.get().user(), "");
        ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      java.util.Set<String> tables = new java.util.HashSet<>();
      while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
      assertTrue(tables.toString(), tables.containsAll(java.util.Set.of("event_journal", "event_tag", "snapshot", "durable_state")));
    }
  }

  @Test
  public void h2SchemaCanBeCreatedTwice() throws Exception {
    Settings s = Settings.load(TestNodes.h2(Files.createTempDirectory("qt-h2-"), Map.of()));
    JournalSchema.ensure(s);
  }

  private static Settings h2(String url, String user, String password) {
    return Settings.load(ConfigLoaderTestSupport.env(Map.of("QT_DB_URL", url, "QT_DB_USER", user, "QT_DB_PASSWORD", password)));
  }

  private static String writeDelay(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet r = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      r.next();
      return r.getString(1);
    }
  }

  /** An operator's own H2 file database gets no delay between a commit and the file, for good (H2 keeps the setting). */
  @Test
  public void anOperatorsH2DatabaseIsMadeToWriteEachCommitAtOnce() throws Exception {
    String url = "jdbc:h2:file:" + Files.createTempDirectory("qt-h2-own-").resolve("j") + ";DATABASE_TO_UPPER=false";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (n INT)");
    }
    assertEquals("H2's default", "500", writeDelay(url));
    JournalSchema.ensure(h2(url, "sa", ""));
    assertEquals("0", writeDelay(url));
  }

  /** A user without admin rights cannot set it: start-up stops and says how, in one line. */
  @Test
  public void anH2UserThatCannotRemoveTheDelayStopsStartUp() throws Exception {
    String url = "jdbc:h2:file:" + Files.createTempDirectory("qt-h2-own-").resolve("j") + ";DATABASE_TO_UPPER=false";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE USER IF NOT EXISTS bob PASSWORD 'pw'");
    }
    try {
      JournalSchema.ensure(h2(url, "bob", "pw"));
      fail();
    } catch (JournalSchema.SchemaException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("up to 500 ms after acknowledging it"));
      assertTrue(e.getMessage(), e.getMessage().contains("run SET WRITE_DELAY 0 once as an admin user"));
      assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
    }
    assertEquals("500", writeDelay(url));
  }

  private static String refusal(String url) {
    try {
      JournalSchema.ensure(h2(url, "sa", ""));
      throw new AssertionError("accepted: " + url);
    } catch (JournalSchema.SchemaException e) {
      assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
      return e.getMessage();
    }
  }

  /** An in-memory journal would lose everything acknowledged when the node stops: refused, on H2's in-memory file systems too. */
  @Test
  public void anInMemoryH2JournalIsRefused() {
    String m = refusal("jdbc:h2:mem:qt-journal-test");
    assertTrue(m, m.startsWith("the journal database jdbc:h2:mem:qt-journal-test is in memory"));
    for (String url : new String[] {"jdbc:h2:memFS:qt-journal-test", "jdbc:h2:nioMemFS:qt-journal-test", "jdbc:h2:nioMemLZF:x"}) {
      m = refusal(url);
      assertTrue(m, m.startsWith("the journal database " + url + " is on one of H2's in-memory file systems"));
    }
  }

  /** A delay set in the URL would be set again on every connection of the pool, after the start-up check: refused. */
  @Test
  public void anH2UrlThatSetsADelayIsRefused() throws Exception {
    String url = "jdbc:h2:file:" + Files.createTempDirectory("qt-h2-own-").resolve("j") + ";DATABASE_TO_UPPER=false;write_delay=500";
    String m = refusal(url);
    assertTrue(m, m.contains("sets WRITE_DELAY=500: H2 applies it on every connection"));
    String zero = "jdbc:h2:file:" + Files.createTempDirectory("qt-h2-own-").resolve("j") + ";WRITE_DELAY=0;DATABASE_TO_UPPER=false";
    JournalSchema.ensure(h2(zero, "sa", ""));
    assertEquals("0", writeDelay(zero));
  }

  @Test
  public void anUnreachableDatabaseIsOneClearErrorAfterTheConnectTimeout() {
    Settings s = Settings.load(ConfigLoaderTestSupport.env(Map.of(
        "QT_DB_URL", "jdbc:postgresql://127.0.0.1:" + TestNodes.freePort() + "/qt",
        "QT_DB_USER", "qt",
        "QT_DB_CONNECT_TIMEOUT", "1s")));
    long t0 = System.nanoTime();
    try {
      JournalSchema.ensure(s);
      fail();
    } catch (JournalSchema.SchemaException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("cannot open the journal database jdbc:postgresql://127.0.0.1:"));
      assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
    }
    assertTrue("gave up within a few seconds", System.nanoTime() - t0 < 10_000_000_000L);
  }
}
