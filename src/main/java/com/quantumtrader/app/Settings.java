package com.quantumtrader.app;

import com.quantumtrader.bus.BusSettings;
import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.quantumtrader.health.HealthSettings;
import com.quantumtrader.market.MarketSettings;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.ranker.RankerSettings;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typed, validated view of {@code quantum-trader { ... }}, read once at start-up. A bad value
 * throws a {@link SettingsException} whose one-line message names the key and its env var.
 */
public record Settings(
    Node node,
    BusSettings eventBus,
    PolicySettings policyStore,
    Msc msc,
    RankerSettings ranker,
    MarketSettings market,
    com.quantumtrader.execution.ExecutionSettings execution,
    Analytics analytics,
    Clm clm,
    SgAi sgAi,
    Db db,
    Cluster cluster,
    HealthSettings health,
    com.quantumtrader.api.ApiSettings api,
    com.quantumtrader.strategy.StrategyRegistrySettings strategyRegistry) {

  public static final String SYSTEM_NAME = "QuantumTrader";

  public record Node(Path dataDir, Duration askTimeout) {}

  public record Msc(boolean enabled, Duration updateInterval, boolean autoAdjust,
      com.quantumtrader.msc.RegimeClassifier.Thresholds thresholds, com.quantumtrader.msc.RiskModeDecider.Rules rules,
      Duration criticalConfirm) {}

  public record Analytics(boolean enabled) {}

  /** Where the components' own tables live: the journal's database. */
  public com.quantumtrader.common.JdbcTarget jdbcTarget() {
    return new com.quantumtrader.common.JdbcTarget(db.jdbcUrl(node.dataDir()), db.effectiveUser(), db.password(),
        db.kind() == DbKind.POSTGRES);
  }

  public record Clm(boolean enabled, Duration retrainSchedule) {}

  public record SgAi(boolean enabled, int populationSize, int generations, boolean resumeInterrupted) {}

  public enum DbKind {
    H2,
    POSTGRES
  }

  /** The journal's database. An empty URL means the embedded H2 database under the data dir. */
  public record Db(String url, String user, String password, int poolSize, Duration connectTimeout) {
    public DbKind kind() {
      return url.isEmpty() || url.startsWith("jdbc:h2:") ? DbKind.H2 : DbKind.POSTGRES;
    }

    /**
     * H2 writes a commit to its file up to 500 ms later by default: a write acknowledged in that time
     * (a run started, a cancellation, a strategy retired) was lost when the process was killed. With
     * no delay, a commit is in the file when the write is acknowledged (H2DurabilityTest kills a JVM
     * right after one). Added to the embedded journal's URL only: setting it takes admin rights, which
     * an operator's own H2 URL may not have ({@link JournalSchema} sets it there at start-up, or stops).
     */
    static final String H2_DURABLE = ";WRITE_DELAY=0";

    /** A DATABASE_TO_UPPER setting in an H2 URL. */
    static final java.util.regex.Pattern URL_TO_UPPER = java.util.regex.Pattern.compile("(?i);\\s*DATABASE_TO_UPPER\\s*=([^;]*)");

    /** The JDBC URL the node uses, with the settings this stack needs added. */
    public String jdbcUrl(Path dataDir) {
      if (url.isEmpty()) {
        // DATABASE_TO_UPPER=false: the plugin's schema quotes lower-case names. DB_CLOSE_ON_EXIT=FALSE:
        // H2's own JVM shutdown hook would close the database while CoordinatedShutdown still writes
        // (rankers checkpoint on hand-off); the pool closes it at the end of the shutdown instead.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE"
            + H2_DURABLE;
      }
      if (kind() == DbKind.H2 && !URL_TO_UPPER.matcher(url).find()) {
        // As the embedded journal's: the schema's names are lower-case and quoted, and the durable-state
        // store's queries name them unquoted (an operator's H2 URL without it had no feed position or
        // ranker checkpoint saved: "Table DURABLE_STATE not found").
        return url + ";DATABASE_TO_UPPER=false";
      }
      if (kind() == DbKind.POSTGRES && !url.contains("reWriteBatchedInserts")) {
        // Batched journal writes are several times faster with it.
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
      }
      return url;
    }

    public String effectiveUser() {
      return user.isEmpty() && kind() == DbKind.H2 ? "sa" : user;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Db[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
  }

  /**
   * @param seedNodes Akka addresses of the seed nodes; empty means this node joins itself
   */
  public record Cluster(String hostname, int port, List<String> seedNodes, Duration sbrStableAfter) {}

  /** The same settings with another market feed (the launcher's --data and --speed). */
  public Settings withMarket(MarketSettings m) {
    return new Settings(node, eventBus, policyStore, msc, ranker, m, execution, analytics, clm, sgAi, db, cluster, health, api, strategyRegistry);
  }

  public static Settings load(Config root) {
    ConfigReader node = new ConfigReader(root, "quantum-trader.node");
    ConfigReader msc = new ConfigReader(root, "quantum-trader.msc");
    ConfigReader analytics = new ConfigReader(root, "quantum-trader.analytics");
    ConfigReader clm = new ConfigReader(root, "quantum-trader.clm");
    ConfigReader sg = new ConfigReader(root, "quantum-trader.sg-ai");
    logLevel(new ConfigReader(root, "akka"));
    return new Settings(
        new Node(
            dataDir(node),
            node.positiveDuration("ask-timeout", "QT_ASK_TIMEOUT")),
        BusSettings.fromConfig(root),
        PolicySettings.fromConfig(root),
        new Msc(
            msc.bool("enabled", "QT_MSC_ENABLED"),
            msc.positiveDuration("update-interval", "QT_MSC_UPDATE_INTERVAL"),
            msc.bool("auto-adjust", "QT_MSC_AUTO_ADJUST"),
            new com.quantumtrader.msc.RegimeClassifier.Thresholds(
                msc.doubleIn("crisis-drawdown", "QT_MSC_CRISIS_DRAWDOWN", 0, 1, true),
                msc.doubleIn("high-volatility", "QT_MSC_HIGH_VOLATILITY", 0, 100, true),
                msc.doubleIn("trend-breadth", "QT_MSC_TREND_BREADTH", 0.5, 1, true),
                msc.doubleIn("min-trend-strength", "QT_MSC_MIN_TREND_STRENGTH", 0, 1, false)),
            new com.quantumtrader.msc.RiskModeDecider.Rules(
                msc.doubleIn("min-confidence", "QT_MSC_MIN_CONFIDENCE", 0, 1, false),
                msc.intIn("confirmations-to-de-risk", "QT_MSC_CONFIRMATIONS_TO_DE_RISK", 1, 1000),
                msc.intIn("confirmations-to-re-risk", "QT_MSC_CONFIRMATIONS_TO_RE_RISK", 1, 1000),
                msc.nonNegativeDuration("min-dwell", "QT_MSC_MIN_DWELL")),
            msc.nonNegativeDuration("critical-confirm", "QT_MSC_CRITICAL_CONFIRM")),
        RankerSettings.fromConfig(root),
        MarketSettings.fromConfig(root),
        com.quantumtrader.execution.ExecutionSettings.fromConfig(root),
        new Analytics(analytics.bool("enabled", "QT_ANALYTICS_ENABLED")),
        new Clm(
            clm.bool("enabled", "QT_CLM_ENABLED"),
            clm.positiveDuration("retrain-schedule", "QT_CLM_RETRAIN_SCHEDULE")),
        new SgAi(
            sg.bool("enabled", "QT_SG_AI_ENABLED"),
            sg.intIn("population-size", "QT_SG_POPULATION_SIZE", 2, com.quantumtrader.strategy.Evolver.MAX_POPULATION),
            sg.intIn("generations", "QT_SG_GENERATIONS", 1, com.quantumtrader.strategy.Evolver.MAX_GENERATIONS),
            sg.bool("resume-interrupted", "QT_SG_RESUME_INTERRUPTED")),
        db(new ConfigReader(root, "quantum-trader.db")),
        cluster(new ConfigReader(root, "quantum-trader.cluster")),
        HealthSettings.fromConfig(root),
        com.quantumtrader.api.ApiSettings.fromConfig(root),
        com.quantumtrader.strategy.StrategyRegistrySettings.fromConfig(root));
  }

  /**
   * Akka's log level, which QT_LOG_LEVEL sets: Akka took a level it does not know with an ERROR and a
   * stack trace, and the node then ran on at DEBUG.
   */
  private static void logLevel(ConfigReader akka) {
    if (com.quantumtrader.common.LogLevel.akka(akka.string("loglevel", "QT_LOG_LEVEL")) == null) {
      throw akka.error("loglevel", "QT_LOG_LEVEL", "must be one of OFF, ERROR, WARN (or WARNING), INFO, DEBUG");
    }
  }

  private static Path dataDir(ConfigReader r) {
    String raw = r.string("data-dir", "QT_DATA_DIR");
    if (raw.isBlank()) throw r.error("data-dir", "QT_DATA_DIR", "must be a folder path");
    try {
      return Path.of(raw);
    } catch (RuntimeException e) {
      throw r.error("data-dir", "QT_DATA_DIR", "must be a folder path");
    }
  }

  private static Db db(ConfigReader r) {
    String url = r.string("url", "QT_DB_URL").trim();
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw r.error("url", "QT_DB_URL", "must be empty (embedded H2), a jdbc:postgresql:// URL or a jdbc:h2: URL");
    }
    java.util.regex.Matcher upper = Db.URL_TO_UPPER.matcher(url);
    while (url.startsWith("jdbc:h2:") && upper.find()) {
      if (!upper.group(1).strip().equalsIgnoreCase("false")) {
        throw r.error("url", "QT_DB_URL", "sets DATABASE_TO_UPPER=" + upper.group(1).strip() + ": the journal's tables have lower-case"
            + " names, which the durable-state store (the feed's position, the rankers' checkpoints) finds only with"
            + " DATABASE_TO_UPPER=false; remove the setting (it is then added) or set it to false");
      }
    }
    Db db =
        new Db(
            url,
            r.string("user", "QT_DB_USER"),
            r.string("password", "QT_DB_PASSWORD"),
            r.intIn("pool-size", "QT_DB_POOL_SIZE", 1, 200),
            r.positiveDuration("connect-timeout", "QT_DB_CONNECT_TIMEOUT"));
    if (db.kind() == DbKind.POSTGRES && db.user().isEmpty()) {
      throw r.error("user", "QT_DB_USER", "must be set when QT_DB_URL points to PostgreSQL");
    }
    return db;
  }

  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");
  private static final Pattern AKKA_ADDRESS =
      Pattern.compile("akka://" + SYSTEM_NAME + "@([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");

  private static Cluster cluster(ConfigReader r) {
    String host = r.string("hostname", "QT_CLUSTER_HOSTNAME").trim();
    if (host.isEmpty()) throw r.error("hostname", "QT_CLUSTER_HOSTNAME", "must be a host name or address");
    int port = r.intIn("port", "QT_CLUSTER_PORT", 0, 65535);
    List<String> seeds = new ArrayList<>();
    String raw = r.string("seed-nodes", "QT_CLUSTER_SEED_NODES");
    for (String part : raw.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) continue;
      Matcher hp = HOST_PORT.matcher(s);
      Matcher full = AKKA_ADDRESS.matcher(s);
      if (hp.matches() && Integer.parseInt(hp.group(2)) <= 65535) {
        seeds.add("akka://" + SYSTEM_NAME + "@" + s);
      } else if (full.matches() && Integer.parseInt(full.group(2)) <= 65535) {
        seeds.add(s);
      } else {
        throw r.error(
            "seed-nodes",
            "QT_CLUSTER_SEED_NODES",
            "must be a comma-separated list of host:port (or akka://" + SYSTEM_NAME + "@host:port)");
      }
    }
    return new Cluster(host, port, List.copyOf(seeds), r.positiveDuration("sbr-stable-after", "QT_CLUSTER_SBR_STABLE_AFTER"));
  }
}
