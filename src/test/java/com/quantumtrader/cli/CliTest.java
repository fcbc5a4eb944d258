package com.quantumtrader.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quantumtrader.api.ApiServer;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Main;
import com.quantumtrader.app.Node;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import picocli.CommandLine;

/**
 * The operator commands run in-process against real nodes: one node on H2 for the API commands, and
 * a two-node cluster on PostgreSQL for the cluster commands.
 */
public class CliTest {
  private static final Duration T = Duration.ofSeconds(30);
  private static final String VIEWER = "viewer-secret-0123456789";
  private static final String OPERATOR = "operator-secret-0123456789";
  private static final String ADMIN = "admin-secret-0123456789";
  private static final String TOKENS = "ann:viewer:" + VIEWER + ",otto:operator:" + OPERATOR + ",ada:admin:" + ADMIN;

  private static ActorSystem<Guardian.Command> node;
  private static String api;
  private static Path viewerToken, operatorToken, adminToken;

  @BeforeClass
  public static void startNode() throws Exception {
    Path dir = Files.createTempDirectory("qt-cli-");
    viewerToken = tokenFile(dir, "viewer", VIEWER);
    operatorToken = tokenFile(dir, "operator", OPERATOR);
    adminToken = tokenFile(dir, "admin", ADMIN);
    Map<String, String> env = new HashMap<>();
    env.put("QT_DATA_DIR", dir.resolve("data").toString());
    env.put("QT_API_TOKENS", TOKENS);
    env.put("QT_MARKET_ENABLED", "false");
    node = Node.start(TestNodes.forNode(env));
    api = "http://127.0.0.1:" + binding(node).api().localAddress().getPort();
  }

  @AfterClass
  public static void stopNode() throws Exception {
    if (node != null) {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  public void operatorSetsRiskModeAndHistoryShowsWhoAndWhy() {
    String reason = "storm warning " + System.nanoTime();
    Result set = cli("policy", "set-mode", "DEFENSIVE", "--reason", reason, "--node", api, "--token-file", operatorToken.toString());
    assertEquals(set.toString(), 0, set.exit);
    assertTrue(set.out, set.out.contains("DEFENSIVE"));

    Result history = cli("policy", "history", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(history.toString(), 0, history.exit);
    String line = history.out.lines().filter(l -> l.contains(reason)).findFirst().orElse("");
    assertTrue("no history line with the reason in:\n" + history.out, line.contains("otto") && line.contains("RiskModeChanged"));
    assertFalse("a secret was printed", (set.out + set.err + history.out + history.err).contains(OPERATOR));
  }

  @Test
  public void viewerCannotChangeThePolicy() {
    Result r = cli("policy", "set-mode", "AGGRESSIVE", "--reason", "not allowed", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), 1, r.exit);
    assertTrue(r.err, r.err.contains("forbidden: token ann has role viewer; this needs operator"));
    assertFalse(r.err.contains(VIEWER));
  }

  @Test
  public void aMissingTokenFileSaysSo() {
    Result r = cli("status", "--node", api, "--token-file", "/nonexistent/qt-token");
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("cannot read the token file /nonexistent/qt-token: no such file"));
    String dir = System.getProperty("java.io.tmpdir");
    r = cli("status", "--node", api, "--token-file", dir);
    assertTrue(r.err, r.err.contains("cannot read the token file " + dir + ": is a directory"));
  }

  /**
   * A token an HTTP header cannot carry (a control character inside it), a token file that is not
   * UTF-8 text, and a node URL whose port is out of range: each a usage error of one line, without
   * the secret (the HTTP client's error quoted it under a stack trace) or a JDK message.
   */
  @Test
  public void aTokenOrNodeTheClientCannotUseIsAUsageErrorWithoutTheSecret() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("qt-cli-");
    java.nio.file.Path ctl = java.nio.file.Files.writeString(dir.resolve("ctl.tok"), "my-secret\u0001token-0123456789\n");
    Result r = cli("status", "--node", api, "--token-file", ctl.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("the token in " + ctl + " has a character an HTTP header cannot carry (code 1, character 10 of the"
        + " secret)"));
    assertFalse(r.err, r.err.contains("my-secret") || r.err.contains("token-0123456789") || r.err.contains("\tat "));
    java.nio.file.Path bin = java.nio.file.Files.write(dir.resolve("bin.tok"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a', (byte) 0xc3});
    r = cli("status", "--node", api, "--token-file", bin.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("cannot read the token file " + bin + ": not UTF-8 text"));
    r = cli("status", "--node", "http://127.0.0.1:99999", "--token-file", viewerToken.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("--node has port 99999, outside 1-65535"));
  }

  /** events --seconds and --count below 1 are usage errors (they returned at once, exit 0, saying nothing). */
  @Test
  public void eventsWithoutTimeOrCountToListenIsAUsageError() {
    Result r = cli("events", "--seconds", "-5", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("--seconds must be at least 1, got -5"));
    r = cli("events", "--count", "0", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("--count must be at least 1, got 0"));
  }

  /** NaN or an infinity for a limit is the CLI's usage error, not the node's refusal of JSON the user never typed. */
  @Test
  public void aLimitThatIsNoFiniteNumberIsAUsageError() {
    for (String[] c : new String[][] {{"--min-confidence", "NaN"}, {"--max-risk-per-trade", "Infinity"}, {"--max-gross-exposure", "-Infinity"}}) {
      Result r = cli("policy", "limits", c[0], c[1], "--reason", "typo", "--node", api, "--token-file", operatorToken.toString());
      assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
      assertTrue(r.err, r.err.contains(c[0] + " must be a finite number, got " + c[1]) && !r.err.contains("bad_json"));
    }
  }

  @Test
  public void aWriteWithoutReasonIsAUsageError() {
    Result r = cli("policy", "set-mode", "NORMAL", "--node", api, "--token-file", operatorToken.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("--reason"));
  }

  @Test
  public void jsonPrintsTheNodesJsonAsItIs() throws Exception {
    Result r = cli("status", "--json", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), 0, r.exit);
    JsonNode status = new ObjectMapper().readTree(r.out);
    assertTrue(status.path("node").asText(), status.path("node").asText().startsWith("akka://QuantumTrader@"));
    assertEquals("Up", status.path("memberStatus").asText());

    assertTrue(status.toString(), status.path("liveStrategies").toString().contains("trend-ema-12-26"));
    assertTrue(status.toString(), status.path("strategiesByState").path("LIVE").asInt() >= 1);

    // the one screen names what trades and counts the rest by state
    Result screen = cli("status", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(screen.toString(), 0, screen.exit);
    assertTrue(screen.out, screen.out.lines().anyMatch(l -> l.startsWith("live strategies:") && l.contains("trend-ema-12-26")));
    assertTrue(screen.out, screen.out.lines().anyMatch(l -> l.startsWith("strategies:") && l.matches(".*\\d+ LIVE.*")));

    Result policy = cli("policy", "show", "--json", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(policy.toString(), 0, policy.exit);
    assertTrue(policy.out, new ObjectMapper().readTree(policy.out).path("policy").has("riskMode"));
  }

  /** The registry from the CLI: the configured strategies LIVE; a demotion by hand is in the history with who and why. */
  @Test
  public void strategiesListShowAndAMoveByHand() throws Exception {
    Result live = cli("strategies", "list", "--state", "live", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(live.toString(), 0, live.exit);
    assertTrue(live.out, live.out.lines().anyMatch(l -> l.startsWith("meanrev-rsi-bb-20") && l.contains("LIVE")
        && l.contains("MEAN_REVERSION") && l.contains("permitted") && l.contains("rsiPeriod=14")));

    String reason = "desk review " + System.nanoTime();
    Result demote = cli("strategies", "demote", "meanrev-rsi-bb-20", "--reason", reason, "--node", api, "--token-file",
        operatorToken.toString());
    assertEquals(demote.toString(), 0, demote.exit);
    assertTrue(demote.out, demote.out.contains("meanrev-rsi-bb-20: LIVE -> DEMOTED, by otto: " + reason));

    Result show = cli("strategies", "show", "meanrev-rsi-bb-20", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(show.toString(), 0, show.exit);
    assertTrue(show.out, show.out.contains("DEMOTED") && show.out.lines().anyMatch(l -> l.contains("LIVE") && l.contains("DEMOTED")
        && l.contains("otto") && l.contains(reason)));
    assertTrue(show.out, show.out.lines().anyMatch(l -> l.startsWith("shadow book")) && show.out.lines().anyMatch(l -> l.startsWith("live:")));
    assertTrue(show.out, show.out.lines().anyMatch(l -> l.matches("evaluation:\\s+-")));
    // once evaluated, a LIVE strategy's show says what was decided and why
    Guardian.Components c = AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T,
        node.scheduler()).toCompletableFuture().get();
    AskPattern.<com.quantumtrader.strategy.StrategyRegistry.Command, com.quantumtrader.strategy.StrategyRegistry.Evaluation>ask(
        c.strategyRegistry(), com.quantumtrader.strategy.StrategyRegistry.Evaluate::new, T, node.scheduler()).toCompletableFuture().get();
    Result judged = cli("strategies", "show", "trend-ema-12-26", "--node", api, "--token-file", viewerToken.toString());
    assertTrue(judged.out, judged.out.lines().anyMatch(l -> l.startsWith("evaluation:") && l.contains("STAY at ")
        && l.contains("(policy v")));

    Result again = cli("strategies", "demote", "meanrev-rsi-bb-20", "--reason", "twice", "--node", api, "--token-file",
        operatorToken.toString());
    assertEquals(again.toString(), 1, again.exit);
    assertTrue(again.err, again.err.contains("DEMOTED"));
    Result unknown = cli("strategies", "show", "no-such-strategy", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(unknown.toString(), 1, unknown.exit);
    assertTrue(unknown.err, unknown.err.contains("no strategy instance no-such-strategy"));
    Result viewer = cli("strategies", "retire", "trend-ema-12-26", "--reason", "no", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(viewer.toString(), 1, viewer.exit);
    assertTrue(viewer.err, viewer.err.contains("this needs operator"));
  }

  /** A strategy found elsewhere registered from the CLI, with evolve's --params line; checked before the node is asked. */
  @Test
  public void strategiesRegisterMakesACandidate() throws Exception {
    Result made = cli("strategies", "register", "cli-ema-7-31", "--strategy", "trend-ema-cross", "--params", "fast=7,slow=31,stopAtr=3.25",
        "--reason", "evolve on the research box", "--node", api, "--token-file", operatorToken.toString());
    assertEquals(made.toString(), 0, made.exit);
    assertTrue(made.out, made.out.startsWith("cli-ema-7-31: registered as CANDIDATE by otto: ") && made.out.contains("fast=7")
        && made.out.contains("slow=31") && made.out.contains("strategies shadow cli-ema-7-31"));
    Result show = cli("strategies", "show", "cli-ema-7-31", "--node", api, "--token-file", viewerToken.toString());
    assertTrue(show.out, show.out.contains("CANDIDATE") && show.out.contains("evolve on the research box"));
    Result twice = cli("strategies", "register", "cli-ema-7-31", "--strategy", "trend-ema-cross", "--reason", "again", "--node", api,
        "--token-file", operatorToken.toString());
    assertEquals(twice.toString(), 1, twice.exit);
    assertTrue(twice.err, twice.err.contains("already registered"));
    Result bad = cli("strategies", "register", "cli-x", "--strategy", "trend-ema-cross", "--params", "fast=40,slow=30", "--reason", "r",
        "--node", api, "--token-file", operatorToken.toString());
    assertEquals(bad.toString(), 2, bad.exit);
    assertTrue(bad.err, bad.err.contains("--params: trend-ema-cross: fast (40) must be < slow (30)"));
  }

  /** A misspelt state is a usage error naming the states, not an empty list; it is refused before the node is asked. */
  @Test
  public void strategiesListRefusesAnUnknownState() {
    Result r = cli("strategies", "list", "--state", "BOGUS", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit);
    assertTrue(r.err, r.err.contains("--state: unknown state BOGUS; one of [CANDIDATE, SHADOW, LIVE, DEMOTED, RETIRED]"));
    assertFalse(r.out, r.out.contains("no BOGUS strategies"));

    String nowhere = "http://127.0.0.1:" + TestNodes.freePort();
    Result offline = cli("strategies", "list", "--state", "BOGUS", "--node", nowhere, "--token-file", viewerToken.toString());
    assertEquals(offline.toString(), CommandLine.ExitCode.USAGE, offline.exit);

    Result help = cli("strategies", "list", "--help");
    assertTrue(help.out, help.out.replaceAll("\\s+", " ").contains("CANDIDATE, SHADOW, LIVE, DEMOTED or RETIRED"));

    // likewise an event type that does not exist
    Result events = cli("events", "--types", "strategy.demoted", "--node", nowhere, "--token-file", viewerToken.toString());
    assertEquals(events.toString(), CommandLine.ExitCode.USAGE, events.exit);
    assertTrue(events.err, events.err.contains("--types: unknown event type strategy.demoted; one of policy.updated,"));
  }

  /** A Strategy Generator run from the CLI: started and followed to its end, listed, shown as JSON; a bad request says why. */
  @Test
  public void sgStartWatchRunsAndShow() throws Exception {
    Result run = cli("sg", "start", "--template", "trend-ema-cross", "--population", "12", "--generations", "3", "--seed", "8",
        "--watch", "--node", api, "--token-file", operatorToken.toString());
    assertEquals(run.toString(), 0, run.exit);
    assertTrue(run.out, run.out.contains("DONE") && run.out.contains("8 (the same request with this seed repeats the run)")
        && run.out.contains("generation 3/3") && run.out.contains("FITNESS OUT"));
    String runId = run.out.lines().filter(l -> l.startsWith("run:")).findFirst().orElseThrow().substring(4).trim();

    Result runs = cli("sg", "runs", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(runs.toString(), 0, runs.exit);
    assertTrue(runs.out, runs.out.lines().anyMatch(l -> l.startsWith(runId) && l.contains("DONE") && l.contains("3/3")));

    Result json = cli("sg", "show", runId, "--json", "--node", api, "--token-file", viewerToken.toString());
    assertEquals(json.toString(), 0, json.exit);
    JsonNode status = new ObjectMapper().readTree(json.out);
    assertEquals(8, status.path("seed").asLong());
    assertEquals(3, status.path("progress").path("generation").asInt());

    Result bad = cli("sg", "start", "--template", "no-such-template", "--node", api, "--token-file", operatorToken.toString());
    assertEquals(bad.toString(), 1, bad.exit);
    // the node's wording of the list (enum or CLI names) is the API's; that it names the choices is what counts here
    assertTrue(bad.err, bad.err.contains("template must be one of ") && bad.err.toLowerCase(java.util.Locale.ROOT).matches(
        "(?s).*trend.ema.cross.*donchian.breakout.*mean.reversion.*"));
    assertTrue(bad.err, bad.err.contains("got 'no-such-template'")); // as typed
    Result zero = cli("sg", "start", "--template", "trend-ema-cross", "--generations", "0", "--node", api, "--token-file",
        operatorToken.toString());
    assertEquals(zero.toString(), 1, zero.exit);
    assertTrue(zero.err, zero.err.contains("generations must be from 1 to 100000, got 0"));
    Result one = cli("sg", "start", "--template", "trend-ema-cross", "--population", "1", "--node", api, "--token-file",
        operatorToken.toString());
    assertTrue(one.err, one.err.contains("population must be from 2 to 100000, got 1"));
    Result cancel = cli("sg", "cancel", runId, "--node", api, "--token-file", operatorToken.toString());
    assertEquals(cancel.toString(), 1, cancel.exit);
    assertTrue(cancel.err, cancel.err.contains("is DONE"));

    // seed 9, 4 x 1: every parameter set drawn is one the template refuses (fast >= slow)
    Result invalid = cli("sg", "start", "--template", "trend-ema-cross", "--population", "4", "--generations", "1", "--seed", "9",
        "--watch", "--node", api, "--token-file", operatorToken.toString());
    assertEquals(invalid.toString(), 0, invalid.exit);
    assertTrue(invalid.out, invalid.out.contains("best fitness invalid, median invalid")
        && invalid.out.contains("no candidates: every parameter set the search tried was invalid for the template"));
    String invalidId = invalid.out.lines().filter(l -> l.startsWith("run:")).findFirst().orElseThrow().substring(4).trim();
    Result listed = cli("sg", "runs", "--node", api, "--token-file", viewerToken.toString());
    assertTrue(listed.out, listed.out.lines().anyMatch(l -> l.startsWith(invalidId) && l.contains(" invalid ") && !l.contains("-1000000000")));
  }

  /** A watched run that ends cancelled (or failed) exits 1, so that a script waiting on it sees it did not finish. */
  @Test
  public void aWatchedRunThatEndsCancelledExitsOne() throws Exception {
    java.util.concurrent.CompletableFuture<Result> watched = java.util.concurrent.CompletableFuture.supplyAsync(() -> cli("sg", "start",
        "--template", "trend-ema-cross", "--population", "400", "--generations", "100000", "--seed", "8", "--watch", "--node", api,
        "--token-file", operatorToken.toString()));
    JsonNode running = new ObjectMapper().readTree(await(() -> cli("sg", "runs", "--json", "--node", api, "--token-file",
        viewerToken.toString()), r -> r.out.contains("RUNNING")).out);
    String runId = null;
    for (JsonNode r : running.isArray() ? running : running.path("runs")) {
      if (r.path("state").asText().equals("RUNNING")) runId = r.path("runId").asText();
    }
    assertTrue(running.toString(), runId != null);
    Result cancel = cli("sg", "cancel", runId, "--node", api, "--token-file", operatorToken.toString());
    assertEquals(cancel.toString(), 0, cancel.exit);
    Result r = watched.get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(r.toString(), 1, r.exit);
    assertTrue(r.out, r.out.contains("CANCELLED"));
    assertTrue(r.err, r.err.contains("run " + runId + " ended CANCELLED"));
  }

  @Test
  public void anUnreachableNodeExitsWithThreeAndSaysSo() throws Exception {
    String nowhere = "http://127.0.0.1:" + TestNodes.freePort();
    Result r = cli("status", "--node", nowhere, "--token-file", viewerToken.toString());
    assertEquals(r.toString(), 3, r.exit);
    assertTrue(r.err, r.err.contains("cannot reach the node at " + nowhere) && r.err.contains("connection refused"));
  }

  @Test
  public void helpWorksOnASubcommand() {
    Result r = cli("policy", "set-mode", "--help");
    assertEquals(r.toString(), 0, r.exit);
    assertTrue(r.out, r.out.contains("Usage: quantum-trader policy set-mode") && r.out.contains("--reason")
        && r.out.contains("--token-file") && r.out.contains("--json"));
    assertEquals("", r.err);
  }

  @Test
  public void eventsPrintsAPolicyChangeAsOneLine() throws Exception {
    CompletableFuture<Result> events = CompletableFuture.supplyAsync(() -> cli("events", "--types", "policy.updated",
        "--count", "1", "--seconds", "20", "--node", api, "--token-file", viewerToken.toString()));
    // The stream carries only what is published while it is open: change the policy until it shows.
    String reason = "events check " + System.nanoTime();
    boolean aggressive = false;
    long deadline = System.nanoTime() + T.toNanos();
    while (!events.isDone() && System.nanoTime() < deadline) {
      aggressive = !aggressive;
      cli("policy", "set-mode", aggressive ? "AGGRESSIVE" : "NORMAL", "--reason", reason, "--node", api,
          "--token-file", operatorToken.toString());
      try {
        events.get(300, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // not yet
      }
    }
    Result r = events.get(1, TimeUnit.SECONDS);
    assertEquals(r.toString(), 0, r.exit);
    List<String> lines = r.out.lines().toList();
    assertEquals(r.out, 1, lines.size());
    assertTrue(lines.get(0), lines.get(0).contains("policy.updated") && lines.get(0).contains("by otto") && lines.get(0).contains(reason));
  }

  @Test
  public void clusterMembersListsBothNodesAndAnAdminMakesTheSecondLeave() throws Exception {
    String url = PostgresServer.get().newDatabase();
    int[] ports = {TestNodes.freePort(), TestNodes.freePort()};
    List<ActorSystem<Guardian.Command>> nodes = new ArrayList<>();
    try {
      for (int port : ports) {
        nodes.add(Node.start(TestNodes.forNode(Map.of(
            "QT_DB_URL", url, "QT_DB_USER", PostgresServer.get().user(),
            "QT_CLUSTER_PORT", String.valueOf(port), "QT_CLUSTER_SEED_NODES", "127.0.0.1:" + ports[0],
            "QT_MARKET_ENABLED", "false", "QT_API_TOKENS", TOKENS))));
      }
      String mgmt = "http://127.0.0.1:" + binding(nodes.get(0)).management().localAddress().getPort();
      String second = "akka://QuantumTrader@127.0.0.1:" + ports[1];
      String[] members = {"cluster", "members", "--management", mgmt, "--token-file", viewerToken.toString()};

      Result listed = await(() -> cli(members), r -> r.exit == 0 && r.out.lines().filter(l -> l.contains(" Up ")).count() == 2);
      assertTrue(listed.out, listed.out.contains("akka://QuantumTrader@127.0.0.1:" + ports[0]) && listed.out.contains(second));

      Result refused = cli("cluster", "leave", second, "--management", mgmt, "--token-file", operatorToken.toString());
      assertEquals(refused.toString(), 1, refused.exit);
      assertTrue(refused.err, refused.err.contains("forbidden: token otto has role operator; this needs admin"));
      assertTrue(cli(members).out.contains(second));

      Result leave = cli("cluster", "leave", second, "--management", mgmt, "--token-file", adminToken.toString());
      assertEquals(leave.toString(), 0, leave.exit);
      await(() -> cli(members), r -> r.exit == 0 && r.out.lines().noneMatch(l -> l.startsWith(second + " ") && l.contains(" Up ")));
      nodes.get(1).getWhenTerminated().toCompletableFuture().get(T.toSeconds(), TimeUnit.SECONDS);
      Result after = await(() -> cli(members), r -> r.exit == 0 && !r.out.contains(second));
      assertTrue(after.out, after.out.contains("akka://QuantumTrader@127.0.0.1:" + ports[0]));
    } finally {
      for (ActorSystem<?> n : nodes) n.terminate();
      for (ActorSystem<?> n : nodes) n.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  // ----- helpers

  record Result(int exit, String out, String err) {}

  /** Runs the launcher's command line in this JVM, capturing what it prints. */
  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result await(Supplier<Result> run, java.util.function.Predicate<Result> until) throws InterruptedException {
    long deadline = System.nanoTime() + T.toNanos();
    Result r = run.get();
    while (!until.test(r)) {
      if (System.nanoTime() > deadline) throw new AssertionError("not reached within " + T.toSeconds() + " s; last: " + r);
      Thread.sleep(200); // polling interval
      r = run.get();
    }
    return r;
  }

  private static ApiServer.Bound binding(ActorSystem<Guardian.Command> system) throws Exception {
    ApiServer.Bound b = AskPattern.<Guardian.Command, ApiServer.Bound>ask(system, Guardian.GetApiBinding::new, T, system.scheduler())
        .toCompletableFuture().get(T.toSeconds(), TimeUnit.SECONDS);
    assertNotEquals("the API did not bind", null, b.api());
    return b;
  }

  private static Path tokenFile(Path dir, String name, String secret) throws Exception {
    Path f = dir.resolve(name + ".token");
    Files.writeString(f, "# " + name + " token\n" + secret + "\n");
    return f;
  }
}
