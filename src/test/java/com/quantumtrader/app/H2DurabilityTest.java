package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A write the embedded H2 journal has committed is in its file at once: a process killed right after
 * the commit (kill -9, a power cut) loses none of what it acknowledged. H2 delays the write of a
 * commit by up to 500 ms by default; the node's URL turns that off.
 */
public class H2DurabilityTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** Commits {@code args[1]} rows to the database at {@code args[0]}, one by one, says so, and halts at once (no shutdown). */
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS acked (n INT)");
        for (int i = 0; i < Integer.parseInt(args[1]); i++) s.execute("INSERT INTO acked VALUES (" + i + ")");
      }
      System.out.println("committed");
      System.out.flush();
      Runtime.getRuntime().halt(9);
    }
  }

  private static String url(Path dir) {
    return new Settings.Db("", "sa", "", 1, Duration.ofSeconds(5)).jdbcUrl(dir);
  }

  @Test
  public void whatWasCommittedSurvivesAKill() throws Exception {
    Path dir = tmp.newFolder("data").toPath();
    String url = url(dir);
    for (int round = 1; round <= 3; round++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), H2DurabilityTest.class.getName(), url, "5").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      assertEquals(out, 9, p.exitValue());
      assertEquals(out, "committed", out.strip());
      try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM acked")) {
        r.next();
        assertEquals("after kill " + round, 5 * round, r.getInt(1));
      }
    }
  }

  /** An operator's own H2 URL is used as given (setting the delay takes admin rights its user may lack; JournalSchema sets it in the database at start-up). */
  @Test
  public void anOperatorsH2UrlIsUsedAsGiven() {
    // only the case setting the journal's lower-case names need is added (NodeTest: anOperatorsH2UrlKeepsDurableState)
    assertEquals("jdbc:h2:file:/x/j;DATABASE_TO_UPPER=false",
        new Settings.Db("jdbc:h2:file:/x/j", "bob", "", 1, Duration.ofSeconds(5)).jdbcUrl(Path.of("d")));
    assertTrue(url(Path.of("/d")).endsWith(";WRITE_DELAY=0"));
  }
}
