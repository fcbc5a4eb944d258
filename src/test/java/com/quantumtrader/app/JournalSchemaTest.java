package com.quantumtrader.app;

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
