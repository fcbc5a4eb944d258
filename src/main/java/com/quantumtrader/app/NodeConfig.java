package com.quantumtrader.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the operator's settings into the Akka configuration the node runs with: the journal's one
 * shared connection pool (journal, snapshots, read journal and durable state) and the seed nodes.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static final String SHARED_DB = "akka-persistence-jdbc.shared-databases.quantum-trader";

  public static Config build(Config loaded, Settings settings) {
    Settings.Db db = settings.db();
    boolean h2 = db.kind() == Settings.DbKind.H2;
    Map<String, Object> m = new HashMap<>();
    m.put(SHARED_DB + ".profile", h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$");
    String p = SHARED_DB + ".db.";
    m.put(p + "url", db.jdbcUrl(settings.node().dataDir()));
    m.put(p + "user", db.effectiveUser());
    m.put(p + "password", db.password());
    m.put(p + "driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver");
    m.put(p + "connectionPool", "HikariCP");
    // Slick's async executor and the pool must be the same size, or threads wait for connections.
    m.put(p + "numThreads", db.poolSize());
    m.put(p + "maxConnections", db.poolSize());
    m.put(p + "minConnections", Math.min(2, db.poolSize()));
    // Fail a request for a connection after this long instead of the plugin's default 3 minutes,
    // so that a database that went away shows up as failed writes, not as a hang.
    m.put(p + "connectionTimeout", Math.max(1000L, settings.node().askTimeout().toMillis()));
    m.put("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(settings.cluster().seedNodes()));
    // Akka's name for QT_LOG_LEVEL (WARN is WARNING there; Settings refused any other value)
    m.put("akka.loglevel", com.quantumtrader.common.LogLevel.akka(loaded.getString("akka.loglevel")));
    return ConfigFactory.parseMap(m).withFallback(loaded).resolve();
  }
}
