package com.quantumtrader.testsupport;

import com.quantumtrader.app.ConfigLoader;
import com.quantumtrader.app.JournalSchema;
import com.quantumtrader.app.NodeConfig;
import com.quantumtrader.app.Settings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations for actor systems in tests, built the way a node builds its own. */
public final class TestNodes {
  private TestNodes() {}

  /** What every test node needs: no JVM exit, no shutdown hook, several nodes' MBeans in one JVM. */
  private static final Config TEST_OVERRIDES = ConfigFactory.parseString(
      "akka.coordinated-shutdown.exit-jvm = off\n"
          + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
          + "akka.cluster.jmx.multi-mbeans-in-same-jvm = on\n");

  /**
   * A config for {@code Node.start}, as the launcher loads it, with these QT_ variables (a free
   * cluster port unless given).
   */
  public static Config forNode(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.putIfAbsent("QT_CLUSTER_PORT", String.valueOf(freePort()));
    e.putIfAbsent("QT_API_PORT", "0");
    e.putIfAbsent("QT_MANAGEMENT_PORT", "0");
    return TEST_OVERRIDES.withFallback(ConfigLoader.load(null, e));
  }

  /** A node config from the packaged application.conf with these QT_ variables set. */
  public static Config fromEnv(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.putIfAbsent("QT_CLUSTER_PORT", String.valueOf(freePort()));
    e.putIfAbsent("QT_API_PORT", "0");
    e.putIfAbsent("QT_MANAGEMENT_PORT", "0");
    Config loaded = ConfigLoader.load(null, e);
    return TEST_OVERRIDES.withFallback(NodeConfig.build(loaded, Settings.load(loaded)));
  }

  /** A config whose journal is a fresh PostgreSQL database of the test server (schema created). */
  public static Config postgres(String jdbcUrl, Map<String, String> env) {
    return postgres(jdbcUrl, PostgresServer.get().user(), env);
  }

  /**
   * A config whose journal is a fresh database of {@code server} (schema created), for tests that
   * stop their own server to see the database go away.
   */
  public static Config postgres(PostgresServer server, Map<String, String> env) {
    return postgres(server.newDatabase(), server.user(), env);
  }

  private static Config postgres(String jdbcUrl, String user, Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.put("QT_DB_URL", jdbcUrl);
    e.put("QT_DB_USER", user);
    Config c = fromEnv(e);
    JournalSchema.ensure(Settings.load(c));
    return c;
  }

  /** A config whose journal is an embedded H2 database in {@code dataDir} (schema created). */
  public static Config h2(Path dataDir, Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.put("QT_DATA_DIR", dataDir.toString());
    Config c = fromEnv(e);
    JournalSchema.ensure(Settings.load(c));
    return c;
  }

  /** A non-clustered config with the in-memory test journal (for EventSourcedBehaviorTestKit). */
  public static Config local() {
    return ConfigFactory.parseString(
            "akka.actor.provider = local\n"
                + "akka.coordinated-shutdown.exit-jvm = off\n"
                + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
        .withFallback(ConfigLoader.load(null, Map.of()));
  }

  /**
   * {@link #local()} on Akka's persistence testkit journal and snapshot store, which fail a write when
   * told to (a restart on a journal failure without a database).
   */
  public static Config localOnPersistenceTestKit() {
    return akka.persistence.testkit.PersistenceTestKitPlugin.getInstance().config()
        .withFallback(akka.persistence.testkit.PersistenceTestKitSnapshotPlugin.getInstance().config()).withFallback(local());
  }

  /**
   * A port free now, below the range the system hands out for outgoing connections (32768-60999 on
   * Linux): a port of that range, free when asked, was taken by a connection's own end before the
   * node bound it ("Address already in use" in RankerClusterTest, once). Each call in a JVM gets
   * another port, from a random start (test JVMs and forks run side by side).
   */
  public static synchronized int freePort() {
    for (int tries = 0; tries < PORTS; tries++) {
      int port = FIRST_PORT + Math.floorMod(nextPort++, PORTS);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress(port));
        return port;
      } catch (java.io.IOException taken) {
        // in use: the next one
      }
    }
    throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1));
  }

  private static final int FIRST_PORT = 20_000, PORTS = 12_000;
  private static int nextPort = new java.util.Random().nextInt(PORTS);
}
