package com.quantumtrader.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.Assume;

/**
 * A real, throwaway PostgreSQL server for tests: initdb into a temporary folder, start on a free
 * loopback port, stop and delete at JVM exit. One server per test JVM; each test takes a fresh
 * database from {@link #newDatabase()}.
 *
 * <p>PostgreSQL refuses to run as root, so as root the server runs as the {@code postgres} system
 * user (created by Debian's postgresql package) through {@code runuser}. Binaries are found through
 * {@code QT_PG_BIN}, {@code pg_config --bindir}, /usr/lib/postgresql/N/bin or the PATH.
 *
 * <p>Without PostgreSQL binaries the tests that need it are skipped with a message, except under
 * CI ({@code CI=true}), where that is a failure: .ci/run installs them.
 */
public final class PostgresServer {
  private static PostgresServer instance;
  private static final AtomicInteger dbCounter = new AtomicInteger();

  private final Path binDir;
  private final Path dataDir;
  private final Path socketDir;
  private final int port;
  private final String runAs;
  private final String superuser = "qt";
  private List<String> startOptions;

  /** The shared server of this JVM, started on first use. */
  public static synchronized PostgresServer get() {
    if (instance == null) {
      Path bin = findBinDir();
      if (bin == null) {
        String msg = "PostgreSQL server binaries (initdb, pg_ctl) not found: set QT_PG_BIN or install postgresql";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException(msg);
        System.err.println("SKIPPED: " + msg);
        Assume.assumeTrue(msg, false);
      }
      try {
        instance = new PostgresServer(bin, false);
      } catch (Exception e) {
        throw new IllegalStateException("could not start the test PostgreSQL server: " + e.getMessage(), e);
      }
      PostgresServer s = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-test-postgres"));
    }
    return instance;
  }

  /** A separate server (e.g. for benchmarks that want fsync on), stopped by {@link #stop()}. */
  public static PostgresServer startNew(boolean durable) throws Exception {
    Path bin = findBinDir();
    if (bin == null) throw new IllegalStateException("PostgreSQL server binaries not found");
    return new PostgresServer(bin, durable);
  }

  private PostgresServer(Path binDir, boolean durable) throws Exception {
    this.binDir = binDir;
    this.port = freePort();
    boolean root = "root".equals(System.getProperty("user.name"));
    this.runAs = root ? "postgres" : null;
    Path base = Files.createTempDirectory("qt-pg-");
    this.dataDir = base.resolve("data");
    this.socketDir = base.resolve("sock");
    Files.createDirectories(socketDir);
    if (root) {
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
      run(List.of("chown", "-R", runAs, base.toString()), false);
    }
    run(cmd("initdb", "-D", dataDir.toString(), "-U", superuser, "-A", "trust", "-E", "UTF8", "--no-locale"), true);
    List<String> opts = new ArrayList<>(List.of(
        "-p " + port, "-k " + socketDir, "-c listen_addresses=127.0.0.1", "-c max_connections=200"));
    if (!durable) {
      // Test data is thrown away; fsync only slows the suite down.
      opts.add("-c fsync=off");
      opts.add("-c synchronous_commit=off");
      opts.add("-c full_page_writes=off");
    }
    this.startOptions = List.copyOf(opts);
    run(cmd("pg_ctl", "-D", dataDir.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", String.join(" ", opts), "start"), true);
  }

  public int port() {
    return port;
  }

  public String user() {
    return superuser;
  }

  /** A JDBC URL of the server's default database. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String newDatabase() {
    String name = "qt_test_" + dbCounter.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), superuser, "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
    }
    return url(name);
  }

  /** Stops the server, keeping its data (to test a database that goes away). */
  public synchronized void pause() throws Exception {
    run(cmd("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), true);
  }

  /** Starts a paused server again, on the same port. */
  public synchronized void resume() throws Exception {
    run(cmd("pg_ctl", "-D", dataDir.toString(), "-l", dataDir.getParent().resolve("server.log").toString(), "-w", "-t", "60",
        "-o", String.join(" ", startOptions), "start"), true);
  }

  public synchronized void stop() {
    try {
      if (Files.exists(dataDir)) {
        run(cmd("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), true);
      }
    } catch (Exception e) {
      System.err.println("could not stop test PostgreSQL: " + e.getMessage());
    }
    deleteTree(dataDir.getParent());
  }

  private List<String> cmd(String tool, String... args) {
    List<String> out = new ArrayList<>();
    if (runAs != null) out.addAll(List.of("runuser", "-u", runAs, "--"));
    out.add(binDir.resolve(tool).toString());
    out.addAll(List.of(args));
    return out;
  }

  private static void run(List<String> command, boolean check) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    if (check && p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.trim());
    }
  }

  private static Path findBinDir() {
    String env = System.getenv("QT_PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) return Path.of(env);
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) return Path.of(out);
    } catch (IOException | InterruptedException e) {
      // not installed; try the next place
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path best = versions
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl")))
            .max(Comparator.comparingInt(PostgresServer::versionOf))
            .orElse(null);
        if (best != null) return best.resolve("bin");
      } catch (IOException e) {
        // fall through
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
        return Path.of(dir).toAbsolutePath();
      }
    }
    return null;
  }

  private static int versionOf(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    return TestNodes.freePort(); // below the outgoing connections' range, as the nodes' ports
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }
}
