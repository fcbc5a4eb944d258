package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicyHistory;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** A whole node as `run` starts it: guardian, cluster, singleton Policy Store, embedded H2. */
public class NodeTest {
  private static final Duration T = Duration.ofSeconds(15);

  private static Config nodeConfig(Path dataDir) {
    return TestNodes.forNode(Map.of("QT_DATA_DIR", dataDir.toString(), "QT_MARKET_ENABLED", "false"));
  }

  private static ActorRef<PolicyStore.Command> policyStore(ActorSystem<Guardian.Command> system) throws Exception {
    return AskPattern.<Guardian.Command, Guardian.Components>ask(system, Guardian.GetComponents::new, T, system.scheduler())
        .toCompletableFuture().get().policyStore();
  }

  private static PolicyStore.Reply setMode(ActorSystem<?> system, ActorRef<PolicyStore.Command> store, RiskMode mode, String why)
      throws Exception {
    return AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(
            store, rt -> new PolicyStore.SetRiskMode(mode, Change.by("ops", why), rt), T, system.scheduler())
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  public void aRestartedNodeShowsTheSamePolicyHistoryAndLeavesTheClusterCleanly() throws Exception {
    Path dataDir = Files.createTempDirectory("qt-node-");
    ActorSystem<Guardian.Command> first = Node.start(nodeConfig(dataDir));
    List<PolicyHistory.Entry> before;
    try {
      ActorRef<PolicyStore.Command> store = policyStore(first);
      assertTrue(setMode(first, store, RiskMode.DEFENSIVE, "drill") instanceof PolicyStore.Accepted);
      assertTrue(setMode(first, store, RiskMode.AGGRESSIVE, "all clear") instanceof PolicyStore.Accepted);
      before = new PolicyHistory(first).page(PolicyHistory.Query.newest(100)).toCompletableFuture().get().entries();
      assertEquals(3, before.size());
      assertEquals(MemberStatus.up(), Cluster.get(first).selfMember().status());
    } finally {
      // What SIGTERM does: run CoordinatedShutdown, which leaves the cluster before stopping.
      CoordinatedShutdown.get(first.classicSystem()).runAll(CoordinatedShutdown.jvmExitReason()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      // and its termination callbacks, among them the journal pool's close: the node after it opened the same
      // embedded H2 database while this close was shutting it ("The database has been closed"; its pool never
      // recovered, and an ask timed out)
      first.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertEquals("left the cluster", MemberStatus.removed(), Cluster.get(first).selfMember().status());

    ActorSystem<Guardian.Command> second = Node.start(nodeConfig(dataDir));
    try {
      ActorRef<PolicyStore.Command> store = policyStore(second);
      PolicyStore.PolicyView view = AskPattern.<PolicyStore.Command, PolicyStore.PolicyView>ask(
              store, PolicyStore.Get::new, T, second.scheduler()).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(RiskMode.AGGRESSIVE, view.policy().riskMode());
      assertEquals(3, view.version());
      List<PolicyHistory.Entry> after =
          new PolicyHistory(second).page(PolicyHistory.Query.newest(100)).toCompletableFuture().get().entries();
      assertEquals(before, after);
    } finally {
      second.terminate();
      second.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A node whose API port is taken stops with status 2 and says which settings to change: it ran on
   * without its API, a node no operator could reach.
   */
  @Test
  public void aNodeWhoseApiCannotBindStops() throws Exception {
    // a finite run too (it hung: its report waited on a node that had stopped)
    for (boolean finite : new boolean[] {false, true}) {
      aNodeWhoseApiCannotBindStops(finite);
    }
  }

  private static void aNodeWhoseApiCannotBindStops(boolean finite) throws Exception {
    Path dir = Files.createTempDirectory("qt-node-");
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new java.util.HashMap<>(Map.of("QT_API_HOST", "127.0.0.1", "QT_API_PORT",
          String.valueOf(taken.getLocalPort())));
      env.put(finite ? "QT_MARKET_SYNTHETIC_STEPS" : "QT_MARKET_ENABLED", finite ? "100000" : "false");
      Run r = finite ? run(dir, env, 120, "run", "--until-end-of-data") : run(dir, env, 120, "run");
      String out = r.out() + r.err();
      assertTrue((finite ? "finite: " : "") + out, r.ended());
      assertEquals(out, 2, r.exit());
      assertTrue(out, out.contains("api: cannot serve (") && out.contains("the node stops; free the port, or set QT_API_HOST"));
    }
  }

  /** A node process's end: whether it ended in time, its status, its stdout and stderr. */
  private record Run(boolean ended, int exit, String out, String err) {}

  /**
   * {@code Main} with these arguments in a JVM of its own (the launcher's way: its exit status is the
   * command's), its data folder under {@code dir}, free cluster port, ephemeral API and management
   * ports, plus {@code env}; killed if it has not ended after {@code seconds}.
   */
  private static Run run(Path dir, Map<String, String> env, int seconds, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("QT_DATA_DIR", dir.resolve("node").toString());
    pb.environment().put("QT_CLUSTER_PORT", String.valueOf(TestNodes.freePort()));
    pb.environment().put("QT_API_PORT", "0");
    pb.environment().put("QT_MANAGEMENT_PORT", "0");
    pb.environment().putAll(env);
    pb.redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) p.destroyForcibly().waitFor();
    return new Run(ended, p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  /**
   * {@code run --until-end-of-data} over a folder whose file the feed cannot read: the report says
   * FAILED and that nothing reached the book, and the exit status is not 0 (it was, with a portfolio
   * line of "equity 0.00 from 0.00 (NaN%)").
   */
  @Test
  public void aFiniteRunWhoseFeedFailedExitsWithItsOwnStatus() throws Exception {
    Path dir = Files.createTempDirectory("qt-node-"), data = Files.createDirectories(dir.resolve("data"));
    byte[] bad = new byte[4000];
    new java.util.Random(1).nextBytes(bad);
    Files.write(data.resolve("BIN-1h.csv"), bad);
    Run r = run(dir, Map.of(), 120, "run", "--data", data.toString(), "--speed", "max", "--until-end-of-data");
    assertTrue("the run ends", r.ended());
    String out = r.out(), err = r.err();
    assertEquals(out + err, Main.EXIT_FEED_FAILED, r.exit());
    assertTrue(out, out.contains(": FAILED, 0 bars delivered") && out.contains("not UTF-8 text"));
    assertTrue(out, out.contains("portfolio (paper): no bar reached the book; nothing was traded") && !out.contains("NaN"));
    assertTrue(err, err.contains("quantum-trader: the run did not trade all of its data: the market feed failed: cannot read "));
  }

  /**
   * A folder with a good file and one the feed cannot read: the run trades the good one to its end,
   * the report names the file left out, and the exit status is 4 (before, the whole feed failed on the
   * bad file, and the good file's symbol went unread too).
   */
  @Test
  public void aFiniteRunLeavesOutAFileItCannotReadAndSaysSo() throws Exception {
    Path dir = Files.createTempDirectory("qt-node-"), data = Files.createDirectories(dir.resolve("data"));
    Files.copy(Path.of(NodeTest.class.getResource("/market/real/BTCUSDT-1h.csv").toURI()), data.resolve("BTCUSDT-1h.csv"));
    Files.write(data.resolve("BIN-1h.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x81, 0x0a});
    Run r = run(dir, Map.of(), 180, "run", "--data", data.toString(), "--speed", "max", "--until-end-of-data");
    assertTrue("the run ends", r.ended());
    String out = r.out(), err = r.err();
    assertEquals(out + err, Main.EXIT_FEED_FAILED, r.exit());
    assertTrue(out, out.contains(": COMPLETED, 1,500 bars delivered"));
    assertTrue(out, out.contains("feed error: left out 1 file it could not read: BIN-1h.csv (cannot read "));
    assertTrue(err, err.contains("quantum-trader: the run did not trade all of its data: the market feed left out 1 file it could not read:"));
  }

  /**
   * An operator's own H2 URL without DATABASE_TO_UPPER: the durable-state store (the feed's position,
   * the rankers' checkpoints) writes and reads its table as on the embedded journal (it found no
   * DURABLE_STATE table, and nothing was saved, before the setting was added to such a URL).
   */
  @Test
  public void anOperatorsH2UrlKeepsDurableState() throws Exception {
    Path dir = Files.createTempDirectory("qt-node-");
    String url = "jdbc:h2:file:" + dir.resolve("own");
    assertEquals(url + ";DATABASE_TO_UPPER=false", new Settings.Db(url, "sa", "", 1, T).jdbcUrl(dir));
    assertEquals(url + ";database_to_upper=false", new Settings.Db(url + ";database_to_upper=false", "sa", "", 1, T).jdbcUrl(dir));
    ActorSystem<Guardian.Command> node = Node.start(TestNodes.forNode(Map.of("QT_DATA_DIR", dir.toString(), "QT_DB_URL", url,
        "QT_MARKET_ENABLED", "false")));
    try {
      policyStore(node);
      akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store = akka.persistence.state.DurableStateStoreRegistry.get(node)
          .getDurableStateStoreFor(akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.class,
              akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.Identifier());
      store.upsertObject("probe-1", 1, "kept", "").toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(java.util.Optional.of("kept"), store.getObject("probe-1").toCompletableFuture().get(20, TimeUnit.SECONDS).value());
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  public void aSecondNodeOnTheSameEmbeddedDatabaseIsRefusedWithOneClearError() throws Exception {
    Path dataDir = Files.createTempDirectory("qt-node-");
    ActorSystem<Guardian.Command> first = Node.start(nodeConfig(dataDir));
    try {
      policyStore(first);
      // A second node process pointed at the same data folder.
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run");
      pb.environment().put("QT_DATA_DIR", dataDir.toString());
      pb.environment().put("QT_DB_CONNECT_TIMEOUT", "1s");
      pb.environment().put("QT_CLUSTER_PORT", String.valueOf(TestNodes.freePort()));
      Process p = pb.start();
      String err = new String(p.getErrorStream().readAllBytes()).trim();
      p.getInputStream().readAllBytes();
      assertEquals(err, Main.EXIT_DATABASE, p.waitFor());
      assertTrue(err, err.startsWith("quantum-trader: journal error: cannot open the journal database jdbc:h2:file:"));
      assertTrue(err, err.contains("already in use"));
      assertTrue(err, !err.contains("\n"));
    } finally {
      first.terminate();
      first.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** A configured strategy id the policy cannot name (it does not start with a letter or digit) is warned of at start, with the way out. */
  @Test
  public void aConfiguredIdThePolicyCannotNameIsWarnedOf() throws Exception {
    Path dataDir = Files.createTempDirectory("qt-node-");
    Config config = com.typesafe.config.ConfigFactory.parseString(
            "quantum-trader.execution.strategies = [{ id = \"-x\", template = TREND_EMA_CROSS }, { id = \"ok-1\", template = TREND_EMA_CROSS }]")
        .withFallback(nodeConfig(dataDir));
    try (com.quantumtrader.testsupport.CapturedLogs logs = new com.quantumtrader.testsupport.CapturedLogs()) {
      ActorSystem<Guardian.Command> node = Node.start(config);
      try {
        policyStore(node); // the guardian has started its components
        List<String> warned = logs.warnings().stream().filter(w -> w.startsWith("strategy id ")).toList();
        assertEquals(warned.toString(), 1, warned.size());
        assertTrue(warned.get(0), warned.get(0).startsWith("strategy id -x (quantum-trader.execution.strategies) does not start with a"
            + " letter or digit") && warned.get(0).contains("strategies retire --reason TEXT -- -x"));
      } finally {
        node.terminate();
        node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
