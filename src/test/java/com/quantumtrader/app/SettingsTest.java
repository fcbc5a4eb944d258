package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.quantumtrader.common.SettingsException;
import com.quantumtrader.policy.RiskMode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SettingsTest {

  private static Settings load(Map<String, String> env) {
    return Settings.load(ConfigLoader.load(null, env));
  }

  private static String errorFor(String env, String value) {
    try {
      load(Map.of(env, value));
    } catch (SettingsException e) {
      return e.getMessage();
    }
    fail(env + "=" + value + " was accepted");
    return null;
  }

  @Test
  public void defaultsAreValid() {
    Settings s = load(Map.of());
    assertTrue(s.policyStore().enabled());
    assertEquals(Duration.ofSeconds(30), s.execution().orderReplyTimeout());
    assertEquals(RiskMode.NORMAL, s.policyStore().initialMode());
    assertEquals(10, s.ranker().topN());
    assertEquals(Settings.DbKind.H2, s.db().kind());
    assertTrue(s.cluster().seedNodes().isEmpty());
  }

  @Test
  public void everyDesignVariableOverridesItsKey() {
    Settings s = load(Map.ofEntries(
        Map.entry("QT_EVENTBUS_MAX_QUEUE_SIZE", "123"),
        Map.entry("QT_POLICY_STORE_ENABLED", "false"),
        Map.entry("QT_MSC_ENABLED", "false"),
        Map.entry("QT_MSC_UPDATE_INTERVAL", "90s"),
        Map.entry("QT_OPP_RANKER_TOP_N", "25"),
        Map.entry("QT_OPP_RANKER_UPDATE_INTERVAL", "2s"),
        Map.entry("QT_ANALYTICS_ENABLED", "false"),
        Map.entry("QT_CLM_ENABLED", "false"),
        Map.entry("QT_CLM_RETRAIN_SCHEDULE", "7d"),
        Map.entry("QT_SG_AI_ENABLED", "false"),
        Map.entry("QT_SG_POPULATION_SIZE", "64"),
        Map.entry("QT_SG_GENERATIONS", "12"),
        Map.entry("QT_DB_URL", "jdbc:postgresql://db:5432/qt"),
        Map.entry("QT_DB_USER", "trader"),
        Map.entry("QT_DB_PASSWORD", "s3cret"),
        Map.entry("QT_CLUSTER_SEED_NODES", "10.0.0.1:25520, node2:25520"),
        Map.entry("QT_EXECUTION_ORDER_REPLY_TIMEOUT", "45s")));
    assertEquals(123, s.eventBus().maxQueueSize());
    assertFalse(s.policyStore().enabled());
    assertFalse(s.msc().enabled());
    assertEquals(Duration.ofSeconds(90), s.msc().updateInterval());
    assertEquals(25, s.ranker().topN());
    assertEquals(Duration.ofSeconds(2), s.ranker().updateInterval());
    assertFalse(s.analytics().enabled());
    assertFalse(s.clm().enabled());
    assertEquals(Duration.ofDays(7), s.clm().retrainSchedule());
    assertFalse(s.sgAi().enabled());
    assertEquals(Duration.ofSeconds(45), s.execution().orderReplyTimeout());
    assertEquals(Duration.ofSeconds(45), s.execution().orchestrator(Duration.ofSeconds(5)).orderReplyTimeout());
    assertEquals(64, s.sgAi().populationSize());
    assertEquals(12, s.sgAi().generations());
    assertEquals(Settings.DbKind.POSTGRES, s.db().kind());
    assertEquals("jdbc:postgresql://db:5432/qt?reWriteBatchedInserts=true", s.db().jdbcUrl(Path.of("x")));
    assertEquals("trader", s.db().user());
    assertFalse("the password is never shown", s.db().toString().contains("s3cret"));
    assertEquals(List.of("akka://QuantumTrader@10.0.0.1:25520", "akka://QuantumTrader@node2:25520"), s.cluster().seedNodes());
  }

  @Test
  public void eachBadValueNamesItsKeyAndVariable() {
    String[][] cases = {
      {"QT_MSC_UPDATE_INTERVAL", "-5s", "quantum-trader.msc.update-interval (QT_MSC_UPDATE_INTERVAL): must be a positive duration"},
      {"QT_MSC_UPDATE_INTERVAL", "0s", "quantum-trader.msc.update-interval"},
      {"QT_MSC_UPDATE_INTERVAL", "soon", "quantum-trader.msc.update-interval"},
      {"QT_OPP_RANKER_UPDATE_INTERVAL", "-1ms", "quantum-trader.opportunity-ranker.update-interval (QT_OPP_RANKER_UPDATE_INTERVAL)"},
      {"QT_OPP_RANKER_TOP_N", "0", "quantum-trader.opportunity-ranker.top-n (QT_OPP_RANKER_TOP_N): must be a whole number in [1, 10000], got '0'"},
      {"QT_OPP_RANKER_TOP_N", "ten", "quantum-trader.opportunity-ranker.top-n (QT_OPP_RANKER_TOP_N)"},
      {"QT_EVENTBUS_MAX_QUEUE_SIZE", "-3", "quantum-trader.event-bus.max-queue-size (QT_EVENTBUS_MAX_QUEUE_SIZE)"},
      {"QT_POLICY_STORE_ENABLED", "maybe", "quantum-trader.policy-store.enabled (QT_POLICY_STORE_ENABLED): must be true or false"},
      {"QT_POLICY_INITIAL_MODE", "YOLO", "quantum-trader.policy-store.initial-mode (QT_POLICY_INITIAL_MODE): must be one of AGGRESSIVE, NORMAL, DEFENSIVE, got 'YOLO'"},
      {"QT_MSC_ENABLED", "2", "quantum-trader.msc.enabled (QT_MSC_ENABLED)"},
      {"QT_ANALYTICS_ENABLED", "yes please", "quantum-trader.analytics.enabled (QT_ANALYTICS_ENABLED)"},
      {"QT_CLM_ENABLED", "x", "quantum-trader.clm.enabled (QT_CLM_ENABLED)"},
      {"QT_CLM_RETRAIN_SCHEDULE", "-1h", "quantum-trader.clm.retrain-schedule (QT_CLM_RETRAIN_SCHEDULE)"},
      {"QT_SG_AI_ENABLED", "x", "quantum-trader.sg-ai.enabled (QT_SG_AI_ENABLED)"},
      {"QT_SG_POPULATION_SIZE", "1", "quantum-trader.sg-ai.population-size (QT_SG_POPULATION_SIZE)"},
      {"QT_SG_GENERATIONS", "0", "quantum-trader.sg-ai.generations (QT_SG_GENERATIONS)"},
      {"QT_EXECUTION_ORDER_REPLY_TIMEOUT", "0s", "quantum-trader.execution.order-reply-timeout (QT_EXECUTION_ORDER_REPLY_TIMEOUT)"},
      {"QT_SG_POPULATION_SIZE", "100001", "quantum-trader.sg-ai.population-size (QT_SG_POPULATION_SIZE)"},
      {"QT_SG_GENERATIONS", "100001", "quantum-trader.sg-ai.generations (QT_SG_GENERATIONS)"},
      {"QT_DB_URL", "mysql://nope", "quantum-trader.db.url (QT_DB_URL): must be empty (embedded H2), a jdbc:postgresql:// URL or a jdbc:h2: URL"},
      {"QT_DB_URL", "jdbc:h2:file:/tmp/qt;database_to_upper = TRUE", "quantum-trader.db.url (QT_DB_URL): sets DATABASE_TO_UPPER=TRUE: the"
          + " journal's tables have lower-case names"},
      {"QT_CLUSTER_SEED_NODES", "host-without-port", "quantum-trader.cluster.seed-nodes (QT_CLUSTER_SEED_NODES)"},
      {"QT_LOG_LEVEL", "LOUD", "akka.loglevel (QT_LOG_LEVEL): must be one of OFF, ERROR, WARN (or WARNING), INFO, DEBUG"},
      {"QT_CLUSTER_PORT", "70000", "quantum-trader.cluster.port (QT_CLUSTER_PORT)"},
      {"QT_ASK_TIMEOUT", "-2s", "quantum-trader.node.ask-timeout (QT_ASK_TIMEOUT)"},
      {"QT_MSC_CRITICAL_CONFIRM", "-10s", "quantum-trader.msc.critical-confirm (QT_MSC_CRITICAL_CONFIRM)"},
      {"QT_MSC_CRITICAL_CONFIRM", "soon", "quantum-trader.msc.critical-confirm (QT_MSC_CRITICAL_CONFIRM)"},
      {"QT_MARKET_SPEED", "fast", "quantum-trader.market.speed (QT_MARKET_SPEED): must be 'max' or a positive multiple of real time"},
      {"QT_MARKET_SPEED", "-2", "quantum-trader.market.speed (QT_MARKET_SPEED)"},
      {"QT_MARKET_FEED", "pigeon", "quantum-trader.market.feed (QT_MARKET_FEED): must be one of SYNTHETIC, CSV"},
      {"QT_MARKET_FEED", "csv", "quantum-trader.market.data (QT_MARKET_DATA): must name a file or folder"},
      {"QT_MARKET_SYNTHETIC_INTERVAL", "7x", "quantum-trader.market.synthetic.interval (QT_MARKET_SYNTHETIC_INTERVAL)"},
      {"QT_MARKET_SYNTHETIC_SYMBOLS", "0", "quantum-trader.market.synthetic.symbols (QT_MARKET_SYNTHETIC_SYMBOLS)"},
      {"QT_MARKET_PARALLELISM", "0", "quantum-trader.market.parallelism (QT_MARKET_PARALLELISM)"},
      {"QT_OPP_RANKER_CHECKPOINT_INTERVAL", "-1s", "quantum-trader.opportunity-ranker.checkpoint-interval (QT_OPP_RANKER_CHECKPOINT_INTERVAL)"},
      {"QT_OPP_RANKER_MIN_BARS", "0", "quantum-trader.opportunity-ranker.criteria.min-bars (QT_OPP_RANKER_MIN_BARS)"},
      {"QT_OPP_RANKER_MAX_VOLATILITY", "NaN", "quantum-trader.opportunity-ranker.criteria.max-volatility (QT_OPP_RANKER_MAX_VOLATILITY)"},
    };
    for (String[] c : cases) {
      String msg = errorFor(c[0], c[1]);
      assertTrue(c[0] + "=" + c[1] + " gave: " + msg, msg.startsWith(c[2]));
      assertFalse("one line: " + msg, msg.contains("\n"));
    }
  }

  @Test
  public void aMissingMarketDataFolderIsAStartUpError() {
    String msg = errorFor2(Map.of("QT_MARKET_FEED", "csv", "QT_MARKET_DATA", "/nonexistent/candles"));
    assertEquals("quantum-trader.market.data (QT_MARKET_DATA): does not exist or cannot be read, got '/nonexistent/candles'", msg);
  }

  /** A folder with a symbol's candles of two intervals needs QT_MARKET_INTERVAL; the feed then reads only those. */
  @Test
  public void aSymbolOfSeveralIntervalsNeedsAChoice() throws Exception {
    java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("qt-intervals-");
    java.nio.file.Path real = java.nio.file.Path.of("src/test/resources/market/real");
    java.nio.file.Files.copy(real.resolve("BTCUSDT-1h.csv"), folder.resolve("BTCUSDT-1h.csv"));
    java.nio.file.Files.copy(real.resolve("ETHUSDT-5m.csv"), folder.resolve("BTCUSDT-5m.csv"));
    java.nio.file.Files.copy(real.resolve("ETHUSDT-5m.csv"), folder.resolve("ETHUSDT-5m.csv"));
    String msg = errorFor2(Map.of("QT_MARKET_FEED", "csv", "QT_MARKET_DATA", folder.toString()));
    assertTrue(msg, msg.startsWith("quantum-trader.market.data (QT_MARKET_DATA): " + folder
        + " has candles of several intervals for [BTCUSDT [1h, 5m]]: choose with QT_MARKET_INTERVAL"));
    String none = errorFor2(Map.of("QT_MARKET_FEED", "csv", "QT_MARKET_DATA", folder.toString(), "QT_MARKET_INTERVAL", "1d"));
    assertTrue(none, none.startsWith("quantum-trader.market.interval (QT_MARKET_INTERVAL): no candle files of [1d] in"));
    String bad = errorFor2(Map.of("QT_MARKET_FEED", "csv", "QT_MARKET_DATA", folder.toString(), "QT_MARKET_INTERVAL", "soon"));
    assertTrue(bad, bad.startsWith("quantum-trader.market.interval (QT_MARKET_INTERVAL): must be empty or intervals"));

    Settings ok = load(Map.of("QT_MARKET_FEED", "csv", "QT_MARKET_DATA", folder.toString(), "QT_MARKET_INTERVAL", "5m"));
    assertEquals(java.util.Set.of("5m"), ok.market().intervals());
    try (com.quantumtrader.market.BarSource feed = ok.market().open(new com.quantumtrader.market.RejectCounts())) {
      assertEquals(java.util.List.of("BTCUSDT", "ETHUSDT"), feed.symbols());
      for (com.quantumtrader.market.Bar b; (b = feed.next()) != null; ) assertEquals("5m", b.interval());
    }
  }

  private static String errorFor2(Map<String, String> env) {
    try {
      load(env);
    } catch (SettingsException e) {
      return e.getMessage();
    }
    fail(env + " was accepted");
    return null;
  }

  @Test
  public void postgresNeedsAUser() {
    String msg = errorFor("QT_DB_URL", "jdbc:postgresql://localhost/qt");
    assertTrue(msg, msg.startsWith("quantum-trader.db.user (QT_DB_USER): must be set"));
  }

  @Test
  public void anOperatorFileOverridesThePackagedDefaultsAndTheEnvironmentOverridesBoth() throws Exception {
    Path f = Files.createTempFile("qt-", ".conf");
    Files.writeString(f, "quantum-trader.opportunity-ranker.top-n = 33\nquantum-trader.msc.update-interval = 15s\n");
    Settings s = Settings.load(ConfigLoader.load(f, Map.of("QT_MSC_UPDATE_INTERVAL", "45s")));
    assertEquals(33, s.ranker().topN());
    assertEquals(Duration.ofSeconds(45), s.msc().updateInterval());
    // The cluster port set by an operator file reaches Akka's own key too.
    Files.writeString(f, "quantum-trader.cluster.port = 25999\n");
    assertEquals(25999, ConfigLoader.load(f, Map.of()).getInt("akka.remote.artery.canonical.port"));
    assertEquals(25888, ConfigLoader.load(f, Map.of("QT_CLUSTER_PORT", "25888")).getInt("akka.remote.artery.canonical.port"));
    // A variable set to the packaged default still wins over the file (it is set, not absent)
    Files.writeString(f, "quantum-trader.msc.update-interval = 15s\nquantum-trader.cluster.port = 25999\n");
    String packagedInterval = ConfigLoader.load(null, Map.of()).getString("quantum-trader.msc.update-interval");
    int packagedPort = ConfigLoader.load(null, Map.of()).getInt("quantum-trader.cluster.port");
    Config both = ConfigLoader.load(f, Map.of("QT_MSC_UPDATE_INTERVAL", packagedInterval, "QT_CLUSTER_PORT", String.valueOf(packagedPort)));
    assertEquals(packagedInterval, both.getString("quantum-trader.msc.update-interval"));
    assertEquals(packagedPort, both.getInt("akka.remote.artery.canonical.port"));
    assertEquals(Duration.ofSeconds(15), Settings.load(ConfigLoader.load(f, Map.of())).msc().updateInterval());
    // An empty or blank variable counts as not set (a compose file's ${VAR:-} passes "" for a variable
    // the shell lacks): it does not wipe the file's value, nor set an empty one over a default
    Files.writeString(f, "akka.license-key = \"key-from-file\"\nquantum-trader.cluster.seed-nodes = \"10.0.0.1:25520\"\n");
    Config empty = ConfigLoader.load(f, Map.of("QT_AKKA_LICENSE_KEY", "", "QT_CLUSTER_SEED_NODES", " ", "QT_MSC_UPDATE_INTERVAL", ""));
    assertEquals("key-from-file", empty.getString("akka.license-key"));
    assertEquals("10.0.0.1:25520", empty.getString("quantum-trader.cluster.seed-nodes"));
    assertEquals(packagedInterval, empty.getString("quantum-trader.msc.update-interval"));
  }

  /** A -D on a key reaches the keys defined from it (the Akka port from the cluster port), also with its variable set. */
  @Test
  public void aSystemPropertyReachesTheKeysDefinedFromIt() {
    System.setProperty("quantum-trader.cluster.port", "25777");
    ConfigFactory.invalidateCaches();
    try {
      Config c = ConfigLoader.load(null, Map.of("QT_CLUSTER_PORT", "25888"));
      assertEquals(25777, c.getInt("quantum-trader.cluster.port"));
      assertEquals(25777, c.getInt("akka.remote.artery.canonical.port"));
    } finally {
      System.clearProperty("quantum-trader.cluster.port");
      ConfigFactory.invalidateCaches();
    }
    assertEquals(25888, ConfigLoader.load(null, Map.of("QT_CLUSTER_PORT", "25888")).getInt("akka.remote.artery.canonical.port"));
  }

  /**
   * A configured strategy id keeps the rule it always had (a node that ran with one must start after
   * an upgrade), though one not starting with a letter or digit cannot be named in the policy (the
   * node warns); one with another character is an error naming it.
   */
  @Test
  public void configuredStrategyIdsKeepTheirRule() throws Exception {
    Path f = Files.createTempFile("qt-", ".conf");
    Files.writeString(f, "quantum-trader.execution.strategies = [{ id = \"-x\", template = TREND_EMA_CROSS }]\n");
    assertEquals("-x", Settings.load(ConfigLoader.load(f, Map.of())).execution().strategies().get(0).id());
    Files.writeString(f, "quantum-trader.execution.strategies = [{ id = \"a b\", template = TREND_EMA_CROSS }]\n");
    try {
      Settings.load(ConfigLoader.load(f, Map.of()));
      fail();
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("id \"a b\" must be 1-64 characters of letters, digits and . _ : -"));
    }
  }

  @Test
  public void aMissingOrBrokenOperatorFileIsOneClearError() throws Exception {
    try {
      ConfigLoader.load(Path.of("/nonexistent/qt.conf"), Map.of());
      fail();
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("/nonexistent/qt.conf does not exist"));
    }
    Path f = Files.createTempFile("qt-", ".conf");
    Files.writeString(f, "quantum-trader { msc { enabled = \n");
    try {
      ConfigLoader.load(f, Map.of());
      fail();
    } catch (SettingsException e) {
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  public void presetsMustBeWithinBoundsAndOrdered() {
    Path f;
    try {
      f = Files.createTempFile("qt-", ".conf");
      Files.writeString(f, "quantum-trader.policy-store.presets.DEFENSIVE.max-risk-per-trade = 0.5\n");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    try {
      Settings.load(ConfigLoader.load(f, Map.of()));
      fail();
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("quantum-trader.policy-store.presets.DEFENSIVE.max-risk-per-trade"));
    }
  }

  /** The real launcher, in its own JVM: one line on stderr, exit code 2, no stack trace. */
  @Test
  public void theLauncherStopsWithOneLineOnABadValue() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run");
    pb.environment().put("QT_MSC_UPDATE_INTERVAL", "-5s");
    pb.environment().put("QT_DATA_DIR", Files.createTempDirectory("qt-").toString());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes()).trim();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(Main.EXIT_CONFIG, p.waitFor());
    assertEquals(
        "quantum-trader: configuration error: quantum-trader.msc.update-interval (QT_MSC_UPDATE_INTERVAL): "
            + "must be a positive duration such as 500ms, 30s, 5m, 24h, got '-5s'",
        err);
    assertFalse(out, out.contains("Exception"));
  }
}
