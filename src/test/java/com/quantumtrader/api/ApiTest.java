package com.quantumtrader.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Node;
import com.quantumtrader.strategy.StrategyGenerator;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.strategy.StrategyRegistry;
import com.quantumtrader.strategy.Template;
import com.quantumtrader.testsupport.TestNodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The operator API of a real node (embedded H2, synthetic market), through a real HTTP client: the
 * auth matrix on every route, malformed input of every kind (the right 4xx, never a 5xx), thousands
 * of generated bad requests that leave the policy unchanged, and the event stream.
 */
public class ApiTest {
  static final String VIEWER = "viewer-secret-0123456789", OPERATOR = "operator-secret-0123456789",
      ADMIN = "admin-secret-0123456789";
  private static final Duration T = Duration.ofSeconds(20);
  private static ActorSystem<Guardian.Command> node;
  private static String api, mgmt;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body);
      }
    }
  }

  @BeforeClass
  public static void start() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("QT_DATA_DIR", Files.createTempDirectory("qt-api-").toString());
    env.put("QT_API_TOKENS", "ann:viewer:" + VIEWER + ",otto:operator:" + OPERATOR + ",ada:admin:" + ADMIN);
    env.put("QT_MARKET_SYNTHETIC_SYMBOLS", "8");
    env.put("QT_MARKET_SPEED", String.valueOf(3600 * 200));
    env.put("QT_OPP_RANKER_UPDATE_INTERVAL", "200ms");
    env.put("QT_MSC_UPDATE_INTERVAL", "1s");
    // MSC advises only: the policy changes only through the requests these tests send.
    env.put("QT_MSC_AUTO_ADJUST", "false");
    node = Node.start(TestNodes.forNode(env));
    ApiServer.Bound b = AskPattern.<Guardian.Command, ApiServer.Bound>ask(node, Guardian.GetApiBinding::new, T, node.scheduler())
        .toCompletableFuture().get();
    api = "http://127.0.0.1:" + b.api().localAddress().getPort();
    mgmt = "http://127.0.0.1:" + b.management().localAddress().getPort();
    // Wait until a symbol is scored (routes with {symbol} need one).
    long deadline = System.nanoTime() + T.toNanos();
    while (call("GET", "/api/v1/rankings/SYN001", VIEWER, null).status() != 200) {
      if (System.nanoTime() > deadline) fail("no symbol scored in time");
      Thread.sleep(100);
    }
  }

  @AfterClass
  public static void stop() throws Exception {
    node.terminate();
    node.getWhenTerminated().toCompletableFuture().get();
  }

  static Reply call(String method, String path, String token, String body) throws Exception {
    return call(api, method, path, token, body, "application/json");
  }

  static Reply call(String base, String method, String path, String token, String body, String contentType) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(T)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) r.header("Authorization", "Bearer " + token);
    if (body != null) r.header("Content-Type", contentType);
    HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(resp.statusCode(), resp.body(), resp);
  }

  /** A route's path with its {id}, {symbol} and {run} parts replaced by ids that exist. */
  static String concrete(String path) {
    return path.replace("{id}", "trend-ema-12-26").replace("{symbol}", "SYN001").replace("{run}", "run-0-none");
  }

  @Test
  public void everyRouteAnswersEachTokenAsItsRoleAllows() throws Exception {
    Map<String, Role> tokens = Map.of(VIEWER, Role.VIEWER, OPERATOR, Role.OPERATOR, ADMIN, Role.ADMIN);
    for (String route : ApiRoutes.ROUTES) {
      String[] f = route.split(" ");
      String method = f[0], path = concrete(f[1]);
      Role needed = Role.valueOf(f[2].toUpperCase());
      if (path.endsWith("/events")) continue; // a stream: checked below
      if (!method.equals("GET")) path = path.replace("/block", "/unblock"); // keep the policy as it is where possible
      Reply none = call(method, path, null, null);
      assertEquals(route + " without a token", 401, none.status());
      assertEquals("unauthorized", none.json().get("code").asText());
      assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertEquals(route + " with a wrong token", 401, call(method, path, "not-a-token-at-all-xx", null).status());
      for (Map.Entry<String, Role> t : tokens.entrySet()) {
        // Writes are sent without a body: authorized requests then fail validation (4xx), not auth.
        Reply r = call(method, path, t.getKey(), method.equals("GET") ? null : "{}");
        if (t.getValue().covers(needed)) {
          assertTrue(route + " as " + t.getValue() + ": " + r.status() + " " + r.body(), r.status() != 401 && r.status() != 403);
          assertTrue(route + " as " + t.getValue() + ": " + r.status() + " " + r.body(), r.status() < 500);
          if (method.equals("GET") && !f[1].contains("{run}")) {
            assertEquals(route + " as " + t.getValue() + ": " + r.body(), 200, r.status());
          }
        } else {
          assertEquals(route + " as " + t.getValue(), 403, r.status());
          assertEquals("forbidden", r.json().get("code").asText());
        }
      }
    }
  }

  /**
   * An Authorization header Akka HTTP cannot parse (a secret and a stray word, comma or letter) is a
   * 401, and its value is not logged: Akka HTTP's warning of an illegal header quoted it whole.
   */
  @Test
  public void aMalformedAuthorizationHeaderIsRefusedAndNotLogged() throws Exception {
    try (com.quantumtrader.testsupport.CapturedLogs logs = new com.quantumtrader.testsupport.CapturedLogs()) {
      for (String v : List.of("Bearer " + OPERATOR + " x", "Bearer " + OPERATOR + ",", "Bearer " + OPERATOR + "\u00e9")) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(api + "/api/v1/policy")).timeout(T).header("Authorization", v).GET().build();
        assertEquals(v, 401, http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      // a header the node can parse, so that its log has caught up with the three above when this is answered
      assertEquals(200, call("GET", "/api/v1/policy", VIEWER, null).status());
      Thread.sleep(500); // Akka's log events reach Logback through an actor
      List<String> leaked = logs.messages().stream().filter(m -> m.contains(OPERATOR)).toList();
      assertTrue(leaked.toString(), leaked.isEmpty());
    }
  }

  @Test
  public void managementRoutesNeedATokenAndClusterCommandsNeedAdmin() throws Exception {
    for (String p : List.of("/cluster/members", "/cluster/shards/symbol-ranker", "/ready", "/alive")) {
      assertEquals(p, 401, call(mgmt, "GET", p, null, null, null).status());
      assertEquals(p, 200, call(mgmt, "GET", p, VIEWER, null, null).status());
    }
    String self = Json.MAPPER.readTree(call(mgmt, "GET", "/cluster/members", VIEWER, null, null).body()).get("selfNode").asText();
    String path = "/cluster/members/" + self;
    // A viewer or an operator may not make the node leave; (an admin may: the CLI test does it.)
    assertEquals(403, call(mgmt, "PUT", path, VIEWER, "operation=Leave", "application/x-www-form-urlencoded").status());
    assertEquals(403, call(mgmt, "DELETE", path, OPERATOR, null, null).status());
    assertEquals(200, call(mgmt, "GET", path, ADMIN, null, null).status());
    // Akka Management's own errors get the {code, message} shape too.
    Reply missing = call(mgmt, "GET", "/cluster/members/akka://QuantumTrader@10.9.9.9:1", VIEWER, null, null);
    assertEquals(missing.body(), 404, missing.status());
    assertEquals("not_found", missing.json().get("code").asText());
    // Akka Management's join is not one of the node's routes (a malformed address answered 500)
    for (String address : List.of("x", self)) {
      Reply join = call(mgmt, "POST", "/cluster/members", ADMIN, "address=" + address, "application/x-www-form-urlencoded");
      assertEquals(join.body(), 405, join.status());
      assertTrue(join.body(), join.json().get("message").asText().contains("through its seed nodes (QT_CLUSTER_SEED_NODES)"));
    }
  }

  @Test
  public void writesAreAttributedToTheTokenAndExpectedVersionConflictsAre409() throws Exception {
    long v = call("GET", "/api/v1/policy", VIEWER, null).json().get("version").asLong();
    Reply w = call("PUT", "/api/v1/policy/limits", OPERATOR, "{\"maxOpenPositions\": 7, \"reason\": \"desk review\", \"expectedVersion\": " + v + "}");
    assertEquals(w.body(), 200, w.status());
    long now = w.json().get("policy").get("version").asLong();
    assertTrue(now > v);
    JsonNode first = call("GET", "/api/v1/policy/history?limit=1", VIEWER, null).json().get("entries").get(0);
    assertEquals("otto", first.get("changedBy").asText());
    assertEquals("desk review", first.get("reason").asText());
    Reply stale = call("PUT", "/api/v1/policy/limits", OPERATOR, "{\"maxOpenPositions\": 8, \"reason\": \"x\", \"expectedVersion\": " + v + "}");
    assertEquals(409, stale.status());
    assertEquals("version_conflict", stale.json().get("code").asText());
    assertEquals(now, stale.json().get("currentVersion").asLong());
  }

  @Test
  public void everyWriteRouteWorksWithAValidRequest() throws Exception {
    String s = "/api/v1/policy/strategies/breakout-donchian-20/";
    Reply r = call("POST", s + "block", OPERATOR, "{\"reason\": \"drawdown review\"}");
    assertEquals(r.body(), 200, r.status());
    assertTrue(r.json().get("policy").get("policy").get("blockedStrategies").toString().contains("breakout-donchian-20"));
    assertEquals(422, call("POST", s + "allow", OPERATOR, "{\"reason\": \"r\"}").status()); // blocked: unblock first
    assertEquals(200, call("POST", s + "unblock", OPERATOR, "{\"reason\": \"review done\"}").status());
    r = call("POST", s + "allow", OPERATOR, "{\"reason\": \"only this one\"}");
    assertEquals(r.body(), 200, r.status());
    assertTrue(r.json().get("policy").get("policy").get("allowedStrategies").toString().contains("breakout-donchian-20"));
    // Back to "every strategy": disallow takes it off the allow list; again, it is not on it (422)
    r = call("POST", s + "disallow", OPERATOR, "{\"reason\": \"whitelist lifted\"}");
    assertEquals(r.body(), 200, r.status());
    assertEquals("[]", r.json().get("policy").get("policy").get("allowedStrategies").toString());
    assertEquals(422, call("POST", s + "disallow", OPERATOR, "{\"reason\": \"r\"}").status());

    r = call("POST", "/api/v1/policy/symbols/SYN002/block", OPERATOR, "{\"reason\": \"halted\"}");
    assertEquals(r.body(), 200, r.status());
    assertTrue(r.json().get("policy").get("policy").get("blockedSymbols").toString().contains("SYN002"));
    assertEquals(200, call("POST", "/api/v1/policy/symbols/SYN002/unblock", OPERATOR, "{\"reason\": \"resumed\"}").status());

    r = call("PUT", "/api/v1/msc/override", OPERATOR, "{\"mode\": \"DEFENSIVE\", \"reason\": \"FOMC\", \"minutes\": 30}");
    assertEquals(r.body(), 200, r.status());
    assertEquals("otto", r.json().get("by").asText());
    assertEquals("DEFENSIVE", call("GET", "/api/v1/msc", VIEWER, null).json().get("override").get("mode").asText());
    assertEquals(200, call("DELETE", "/api/v1/msc/override?reason=done", OPERATOR, null).status());
    assertTrue(call("GET", "/api/v1/msc", VIEWER, null).json().get("override").isNull());
    // the reason is optional: given empty, as if not given
    Reply again = call("PUT", "/api/v1/msc/override", OPERATOR, "{\"mode\": \"DEFENSIVE\", \"reason\": \"again\", \"minutes\": 30}");
    assertEquals(again.body(), 200, again.status());
    // a reason in the query is text as a body's is: a line break (%0A) or ESC (%1B) would be printed as it is, even alone
    assertEquals(400, call("DELETE", "/api/v1/msc/override?reason=%0A", OPERATOR, null).status());
    Reply forged = call("DELETE", "/api/v1/msc/override?reason=done%0AFAKE", OPERATOR, null);
    assertEquals(forged.body(), 400, forged.status());
    assertTrue(forged.body(), forged.json().get("message").asText().startsWith(
        "query parameter reason: a control character (\\u000a) at character 5: text here is one line without control characters"));
    assertEquals(400, call("DELETE", "/api/v1/msc/override?reason=%1B%5B2J", OPERATOR, null).status());
    // a body is refused, not ignored (the override was cleared, and the reason in it lost)
    Reply withBody = call("DELETE", "/api/v1/msc/override", OPERATOR, "{\"reason\": \"body reason\"}");
    assertEquals(withBody.body(), 400, withBody.status());
    assertTrue(withBody.body(), withBody.json().get("message").asText().equals(
        "DELETE /api/v1/msc/override takes no body; give the reason as ?reason=..."));
    assertEquals("still set", "DEFENSIVE", call("GET", "/api/v1/msc", VIEWER, null).json().get("override").get("mode").asText());
    Reply cleared = call("DELETE", "/api/v1/msc/override?reason=", OPERATOR, null);
    assertEquals(cleared.body(), 200, cleared.status());
    JsonNode log = call("GET", "/api/v1/msc/decisions?limit=50", VIEWER, null).json().get("decisions");
    assertTrue(log.toString(), log.toString().contains("OverrideSet") && log.toString().contains("OverrideCleared"));

    JsonNode trades = call("GET", "/api/v1/trades?strategy=trend-ema-12-26&symbol=SYN001&limit=5", VIEWER, null).json();
    assertEquals(5, trades.get("limit").asInt());
    for (JsonNode t : trades.get("trades")) {
      assertEquals("trend-ema-12-26", t.get("strategyId").asText());
      assertEquals("SYN001", t.get("symbol").asText());
    }
  }

  @Test
  public void aGeneratorRunReportsProgressRegistersWhatHoldsUpAndCanBeCancelled() throws Exception {
    Reply start = call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"TREND_EMA_CROSS\", \"population\": 20, \"generations\": 4, \"seed\": 3}");
    assertEquals(start.body(), 202, start.status());
    String run = start.json().get("runId").asText();
    assertEquals("otto", start.json().get("by").asText());
    JsonNode s = null;
    long deadline = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < deadline) {
      s = call("GET", "/api/v1/sg/runs/" + run, VIEWER, null).json();
      if (!s.get("state").asText().equals("RUNNING")) break;
      Thread.sleep(100);
    }
    assertEquals(s.toString(), "DONE", s.get("state").asText());
    assertEquals(4, s.get("progress").get("generation").asInt());
    assertTrue(s.get("barStepsPerSecond").asDouble() > 0);
    assertTrue(s.get("candidates").size() > 0);
    for (JsonNode c : s.get("candidates")) {
      if (c.get("kept").asBoolean()) {
        // registration is asynchronous: the registry has it or says why not
        assertTrue(c.toString(), c.get("registered").isNull() || c.get("registered").asText().startsWith("registered")
            || c.get("registered").asText().startsWith("not registered"));
      }
    }
    // A long run, cancelled.
    Reply longRun = call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"donchian-breakout\", \"population\": 50, \"generations\": 100000}");
    assertEquals(longRun.body(), 202, longRun.status());
    String id = longRun.json().get("runId").asText();
    assertEquals("DONCHIAN_BREAKOUT", longRun.json().get("template").asText());
    assertEquals(409, call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"MEAN_REVERSION\"}").status());
    assertEquals(200, call("DELETE", "/api/v1/sg/runs/" + id, OPERATOR, null).status());
    deadline = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < deadline && call("GET", "/api/v1/sg/runs/" + id, VIEWER, null).json().get("state").asText().equals("RUNNING")) {
      Thread.sleep(100);
    }
    assertEquals("CANCELLED", call("GET", "/api/v1/sg/runs/" + id, VIEWER, null).json().get("state").asText());
    assertEquals(422, call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"NOPE\"}").status());
    // a size out of range, even past an int's, is answered with the field's own range
    Reply huge = call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"trend-ema-cross\", \"population\": 99999999999}");
    assertEquals(huge.body(), 422, huge.status());
    assertEquals(huge.body(), "population must be from 2 to 100000, got 99999999999", huge.json().get("message").asText());
    Reply none = call("POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"trend-ema-cross\", \"generations\": 0}");
    assertEquals(none.body(), "generations must be from 1 to 100000, got 0", none.json().get("message").asText());
    assertEquals(404, call("GET", "/api/v1/sg/runs/run-999-x", VIEWER, null).status());
  }

  @Test
  public void operatorsMoveStrategiesThroughTheirLifecycle() throws Exception {
    String base = "/api/v1/strategies/meanrev-rsi-bb-20/";
    Reply d = call("POST", base + "demote", OPERATOR, "{\"reason\": \"decay review\"}");
    assertEquals(d.body(), 200, d.status());
    assertEquals("DEMOTED", d.json().get("state").asText());
    assertEquals(409, call("POST", base + "demote", OPERATOR, "{\"reason\": \"again\"}").status());
    assertEquals("SHADOW", call("POST", base + "shadow", OPERATOR, "{\"reason\": \"second chance\"}").json().get("state").asText());
    Reply p = call("POST", base + "promote", OPERATOR, "{\"reason\": \"shadow looks good\"}");
    assertEquals(p.body(), 200, p.status());
    assertEquals("LIVE", p.json().get("state").asText());
    // a move answers with the strategy's entry as GET gives it; not judged yet in its new state
    assertEquals("meanrev-rsi-bb-20", p.json().get("id").asText());
    assertTrue(p.body(), p.json().has("paramsByName") && p.json().has("permitted"));
    assertTrue(p.body(), p.json().get("evaluation").isNull());
    // once evaluated, the entry says what the registry decided and why
    Guardian.Components c = AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T, node.scheduler())
        .toCompletableFuture().get();
    AskPattern.<com.quantumtrader.strategy.StrategyRegistry.Command, com.quantumtrader.strategy.StrategyRegistry.Evaluation>ask(
        c.strategyRegistry(), com.quantumtrader.strategy.StrategyRegistry.Evaluate::new, T, node.scheduler()).toCompletableFuture().get();
    JsonNode judged = call("GET", "/api/v1/strategies/meanrev-rsi-bb-20", VIEWER, null).json().get("evaluation");
    assertEquals(judged.toString(), "LIVE", judged.get("state").asText());
    assertEquals(judged.toString(), "STAY", judged.get("action").asText());
    assertTrue(judged.toString(), judged.get("reasons").size() >= 1 && judged.has("at") && judged.has("policyVersion"));
    JsonNode listed = null;
    for (JsonNode st : call("GET", "/api/v1/strategies", VIEWER, null).json().get("strategies")) {
      if (st.get("id").asText().equals("meanrev-rsi-bb-20")) listed = st;
    }
    assertNotNull(listed);
    assertEquals("LIVE", listed.get("state").asText());
    assertTrue(listed.get("history").toString(), listed.get("history").toString().contains("otto")
        && listed.get("history").toString().contains("decay review"));
    // ?state= lists one state only, in any case; another value is a 400
    JsonNode live = call("GET", "/api/v1/strategies?state=live", VIEWER, null).json().get("strategies");
    assertTrue(live.toString(), live.size() >= 1);
    for (JsonNode st : live) assertEquals(st.toString(), "LIVE", st.get("state").asText());
    assertTrue(live.toString(), live.toString().contains("meanrev-rsi-bb-20"));
    Reply bogus = call("GET", "/api/v1/strategies?state=BOGUS", VIEWER, null);
    assertEquals(bogus.body(), 400, bogus.status());
    assertTrue(bogus.body(), bogus.json().get("message").asText().contains("state must be one of"));
    Reply nope = call("POST", "/api/v1/strategies/nope/demote", OPERATOR, "{\"reason\": \"r\"}");
    assertEquals(404, nope.status());
    // worded as GET /strategies/nope words it
    assertEquals(call("GET", "/api/v1/strategies/nope", VIEWER, null).json().get("message").asText(), nope.json().get("message").asText());
    assertEquals("no strategy instance nope (GET /api/v1/strategies lists them)", nope.json().get("message").asText());
    assertEquals(404, call("POST", base + "explode", OPERATOR, "{\"reason\": \"r\"}").status());
    assertEquals(403, call("POST", base + "demote", VIEWER, "{\"reason\": \"r\"}").status());
  }

  /** A body sent as a form or as text is refused (415) rather than read as JSON; JSON, +json and no Content-Type are read. */
  @Test
  public void aBodyThatIsNotSentAsJsonIs415() throws Exception {
    String body = "{\"mode\": \"NORMAL\", \"reason\": \"content type check\"}";
    Reply form = call(api, "PUT", "/api/v1/policy/risk-mode", OPERATOR, body, "application/x-www-form-urlencoded");
    assertEquals(form.body(), 415, form.status());
    assertEquals("unsupported_media_type", form.json().get("code").asText());
    assertEquals("the body must be JSON, sent as Content-Type: application/json; got application/x-www-form-urlencoded",
        form.json().get("message").asText());
    assertEquals(415, call(api, "PUT", "/api/v1/policy/risk-mode", OPERATOR, body, "text/plain").status());
    assertEquals(200, call(api, "PUT", "/api/v1/policy/risk-mode", OPERATOR, body, "application/json; charset=utf-8").status());
    assertEquals(200, call(api, "PUT", "/api/v1/policy/risk-mode", OPERATOR, body, "application/merge-patch+json").status());
    HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(T)
        .header("Authorization", "Bearer " + OPERATOR).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(bare.body(), 200, bare.statusCode());
    // a body in an encoding is refused (a gzip body was read as JSON text, and a plain one labelled gzip applied)
    HttpResponse<String> gzip = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(T)
        .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(gzip.body(), 415, gzip.statusCode());
    assertTrue(gzip.body(), gzip.body().contains("the body must be sent without a Content-Encoding (plain JSON); got Content-Encoding: gzip"));
    // an empty POST without a Content-Type (curl -X POST) is "the body is empty", not a 415 for "none/none"
    HttpResponse<String> empty = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(T)
        .header("Authorization", "Bearer " + OPERATOR).PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(empty.body(), 400, empty.statusCode());
    assertTrue(empty.body(), empty.body().contains("the body is empty"));
  }

  /** HEAD on a GET route answers as the GET does, without a body (it was a 405 naming GET). */
  @Test
  public void headIsAnsweredAsGet() throws Exception {
    for (String base : List.of(api + "/api/v1/policy", mgmt + "/ready")) {
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(T)
          .header("Authorization", "Bearer " + VIEWER).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(base + ": " + head.body(), 200, head.statusCode());
      assertEquals("", head.body());
    }
  }

  /** Two Authorization headers are a 400: which token acts would be a guess (the first did). */
  @Test
  public void twoAuthorizationHeadersAreRefused() throws Exception {
    HttpResponse<String> two = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy")).timeout(T)
        .header("Authorization", "Bearer " + OPERATOR).header("Authorization", "Bearer " + VIEWER).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(two.body(), 400, two.statusCode());
    assertTrue(two.body(), two.body().contains("the request has 2 Authorization headers; send one"));
    // the management port too, where an admin token then a viewer's could make a member leave
    HttpResponse<String> mgmtTwo = http.send(HttpRequest.newBuilder(URI.create(mgmt + "/cluster/members")).timeout(T)
        .header("Authorization", "Bearer " + ADMIN).header("Authorization", "Bearer " + VIEWER).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(mgmtTwo.body(), 400, mgmtTwo.statusCode());
  }

  /** A query parameter given twice is a 400 naming it, not the first value taken silently. */
  @Test
  public void aQueryParameterGivenTwiceIs400() throws Exception {
    Reply twice = call("GET", "/api/v1/trades?limit=5&limit=500", VIEWER, null);
    assertEquals(twice.body(), 400, twice.status());
    assertEquals("bad_request", twice.json().get("code").asText());
    assertEquals("query parameter limit is given 2 times; give it once", twice.json().get("message").asText());
    assertEquals(400, call("DELETE", "/api/v1/msc/override?reason=a&reason=b", OPERATOR, null).status());
    // a parameter the path does not take is refused, not ignored (a script would take the whole list for a page)
    Reply unknown = call("GET", "/api/v1/sg/runs?limit=5", VIEWER, null);
    assertEquals(unknown.body(), 400, unknown.status());
    assertEquals("query parameter limit is not one GET /api/v1/sg/runs takes (it takes none)", unknown.json().get("message").asText());
    unknown = call("GET", "/api/v1/trades?strategy=x&page=2", VIEWER, null);
    assertEquals(unknown.body(), 400, unknown.status());
    assertEquals("query parameter page is not one GET /api/v1/trades takes (strategy, symbol, limit, offset)",
        unknown.json().get("message").asText());
    assertEquals(400, call("GET", "/api/v1/strategies?foo=1", VIEWER, null).status());
    // by method: the override's query reason is the DELETE's, not the PUT's (which takes its reason in the body)
    unknown = call("PUT", "/api/v1/msc/override?reason=q", OPERATOR, "{\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"minutes\": 5}");
    assertEquals(unknown.body(), 400, unknown.status());
    assertEquals("query parameter reason is not one PUT /api/v1/msc/override takes (it takes none)", unknown.json().get("message").asText());
    // a path that does not exist is a 404 with or without a query; a stray '&' is no parameter
    assertEquals(404, call("GET", "/api/v1/trade?limit=5", VIEWER, null).status());
    assertEquals(200, call("GET", "/api/v1/trades?limit=5&", VIEWER, null).status());
    assertEquals(200, call("GET", "/api/v1/trades?limit=5&offset=0", VIEWER, null).status());
  }

  /** -0.0, which JSON allows, is kept as 0 (in the policy's limits and a strategy's parameters); other numbers as given. */
  @Test
  public void negativeZeroIsKeptAsZero() {
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ApiRoutes.plusZero(-0.0)));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ApiRoutes.plusZero(0.0)));
    assertEquals(Double.valueOf(0.25), ApiRoutes.plusZero(0.25));
    assertEquals(null, ApiRoutes.plusZero(null));
  }

  /** An operator registers a strategy found elsewhere (e.g. by evolve on another machine): a CANDIDATE with who and why. */
  @Test
  public void operatorsRegisterAStrategyAsACandidate() throws Exception {
    String body = "{\"id\": \"ops-ema-9-40\", \"template\": \"trend-ema-cross\", \"params\": {\"fast\": 9, \"slow\": 40,"
        + " \"stopAtr\": 2.5, \"takeProfitAtr\": -0.0}, \"reason\": \"evolve on the research box, run 12\"}";
    assertEquals(403, call("POST", "/api/v1/strategies", VIEWER, body).status());
    Reply made = call("POST", "/api/v1/strategies", OPERATOR, body);
    assertEquals(made.body(), 201, made.status());
    JsonNode e = made.json();
    assertEquals("ops-ema-9-40", e.get("id").asText());
    assertEquals("CANDIDATE", e.get("state").asText());
    assertEquals("otto", e.get("origin").asText());
    assertEquals("TREND_EMA_CROSS", e.get("template").asText());
    // the ones not given are the template's defaults; -0.0 is kept as 0
    assertEquals("{\"fast\":9,\"slow\":40,\"atrPeriod\":14,\"stopAtr\":2.5,\"takeProfitAtr\":0.0}", e.get("paramsByName").toString());
    JsonNode first = e.get("history").get(0);
    assertEquals(first.toString(), "otto", first.get("by").asText());
    assertEquals(first.toString(), "evolve on the research box, run 12", first.get("reason").asText());
    assertEquals("CANDIDATE", call("GET", "/api/v1/strategies/ops-ema-9-40", VIEWER, null).json().get("state").asText());
    // then the usual way: a shadow period first
    assertEquals("SHADOW", call("POST", "/api/v1/strategies/ops-ema-9-40/shadow", OPERATOR, "{\"reason\": \"prove it\"}")
        .json().get("state").asText());

    Reply again = call("POST", "/api/v1/strategies", OPERATOR, body);
    assertEquals(again.body(), 409, again.status());
    assertEquals("already_registered", again.json().get("code").asText());
    String[][] bad = {
      {"{\"id\": \"x1\", \"template\": \"trend-ema-cross\", \"params\": {\"fast\": 50, \"slow\": 40}, \"reason\": \"r\"}",
          "params: trend-ema-cross: fast (50) must be < slow (40)"},
      {"{\"id\": \"x2\", \"template\": \"trend-ema-cross\", \"params\": {\"fastt\": 5}, \"reason\": \"r\"}",
          "params: trend-ema-cross has no parameter 'fastt'; it has [fast, slow, atrPeriod, stopAtr, takeProfitAtr]"},
      {"{\"id\": \"x3\", \"template\": \"trend-ema-cross\", \"params\": {\"fast\": 2.5}, \"reason\": \"r\"}",
          "params: trend-ema-cross: fast = 2.5 must be a whole number"},
      {"{\"id\": \"x4\", \"template\": \"bogus\", \"reason\": \"r\"}", "template must be one of"},
      {"{\"template\": \"trend-ema-cross\", \"reason\": \"r\"}", "id is required"},
      {"{\"id\": \"has space\", \"template\": \"trend-ema-cross\", \"reason\": \"r\"}", "strategy id must be 1-64 characters"},
      {"{\"id\": \"-lead\", \"template\": \"trend-ema-cross\", \"reason\": \"r\"}", "starting with a letter or digit, got '-lead'"},
      {"{\"id\": \"x5\", \"template\": \"trend-ema-cross\"}", "a reason is required"},
      {"{\"id\": \"x7\", \"template\": \"trend-ema-cross\", \"reason\": \"r\", \"expectedVersion\": 3}", "expectedVersion applies"},
    };
    for (String[] b : bad) {
      Reply r = call("POST", "/api/v1/strategies", OPERATOR, b[0]);
      assertEquals(b[0] + " -> " + r.body(), 422, r.status());
      assertTrue(b[0] + " -> " + r.body(), r.json().get("message").asText().startsWith(b[1]) || r.json().get("message").asText().contains(b[1]));
    }
    Reply typed = call("POST", "/api/v1/strategies", OPERATOR, "{\"id\": \"x8\", \"template\": \"trend-ema-cross\", \"params\": {\"fast\": \"9\"}, \"reason\": \"r\"}");
    assertEquals(typed.body(), 400, typed.status());
    // a wrong type is a 400 however it is wrong: null, or a string Jackson would read as NaN or infinity
    for (String[] t : new String[][] {{"null", "params.fast must be a finite number, got null"}, {"\"NaN\"", "params.fast must be a number, got \"NaN\""},
        {"\"-Infinity\"", "params.fast must be a number, got \"-Infinity\""}, {"1e400", "params.fast: a number too large for a double (1e400)"}}) {
      typed = call("POST", "/api/v1/strategies", OPERATOR, "{\"id\": \"x6\", \"template\": \"trend-ema-cross\", \"params\": {\"fast\": " + t[0]
          + "}, \"reason\": \"r\"}");
      assertEquals(typed.body(), 400, typed.status());
      assertEquals(typed.body(), "bad_json", typed.json().get("code").asText());
      assertEquals(t[1], typed.json().get("message").asText());
    }
    assertEquals(404, call("GET", "/api/v1/strategies/x1", VIEWER, null).status());
  }

  @Test
  public void aStrategyTheRegistryMadeIsShownOnItsOwnAndKnownToThePolicyAndTheTradeRoutes() throws Exception {
    // An SG AI candidate: not in the node's configuration, only in the registry
    Guardian.Components c = AskPattern.<Guardian.Command, Guardian.Components>ask(node, Guardian.GetComponents::new, T, node.scheduler())
        .toCompletableFuture().get();
    com.quantumtrader.strategy.StrategySpec spec = new com.quantumtrader.strategy.StrategySpec("sg-api-7",
        com.quantumtrader.strategy.Template.TREND_EMA_CROSS, new double[] {9, 40, 14, 2.5, 0});
    var bt = new com.quantumtrader.strategy.StrategyRegistry.BacktestSummary(
        new com.quantumtrader.strategy.TrackRecord(80, 300, 0.3, 1.6, 0.12, 1.5), new com.quantumtrader.strategy.TrackRecord(30, 90, 0.05, 1.1, 0.08, 1.3));
    com.quantumtrader.strategy.StrategyRegistry.Reply registered = AskPattern.<com.quantumtrader.strategy.StrategyRegistry.Command,
        com.quantumtrader.strategy.StrategyRegistry.Reply>ask(c.strategyRegistry(),
        r -> new com.quantumtrader.strategy.StrategyRegistry.Register(spec, "SG_AI", bt, r), T, node.scheduler()).toCompletableFuture().get();
    assertTrue(registered.toString(), registered instanceof com.quantumtrader.strategy.StrategyRegistry.Accepted);

    Reply one = call("GET", "/api/v1/strategies/sg-api-7", VIEWER, null);
    assertEquals(one.body(), 200, one.status());
    assertEquals("CANDIDATE", one.json().get("state").asText());
    assertEquals("SG_AI", one.json().get("origin").asText());
    assertEquals(30, one.json().at("/backtest/outOfSample/trades").asInt());
    assertTrue(one.body(), one.json().has("shadow") && one.json().has("live"));
    assertEquals(404, call("GET", "/api/v1/strategies/sg-api-8", VIEWER, null).status());

    Reply blocked = call("POST", "/api/v1/policy/strategies/sg-api-7/block", OPERATOR, "{\"reason\": \"not on this desk\"}");
    assertEquals(blocked.body(), 200, blocked.status());
    assertTrue(call("GET", "/api/v1/strategies/sg-api-7", VIEWER, null).json().get("blocked").asBoolean());
    assertEquals(200, call("POST", "/api/v1/policy/strategies/sg-api-7/unblock", OPERATOR, "{\"reason\": \"back\"}").status());
    assertEquals(404, call("POST", "/api/v1/policy/strategies/sg-api-8/block", OPERATOR, "{\"reason\": \"r\"}").status());
    // retired for good: putting it on the allow list would not let it trade, so it is refused
    assertEquals(200, call("POST", "/api/v1/strategies/sg-api-7/retire", OPERATOR, "{\"reason\": \"superseded\"}").status());
    Reply allowRetired = call("POST", "/api/v1/policy/strategies/sg-api-7/allow", OPERATOR, "{\"reason\": \"try\"}");
    assertEquals(allowRetired.body(), 422, allowRetired.status());
    assertTrue(allowRetired.body(), allowRetired.json().get("message").asText().contains("RETIRED"));
    assertEquals("blocking it still works", 200,
        call("POST", "/api/v1/policy/strategies/sg-api-7/block", OPERATOR, "{\"reason\": \"r\"}").status());
    Reply trades = call("GET", "/api/v1/trades?strategy=sg-api-7", VIEWER, null);
    assertEquals(trades.body(), 200, trades.status());
    assertEquals(0, trades.json().get("total").asInt());
    assertEquals(200, call("GET", "/api/v1/analytics?strategy=sg-api-7", VIEWER, null).status());
    assertEquals(404, call("GET", "/api/v1/analytics/equity?strategy=sg-api-8", VIEWER, null).status());
  }

  @Test
  public void anUnknownStrategyIdIs404WithANotFoundBody() throws Exception {
    Reply r = call("GET", "/api/v1/strategies/no-such-strategy", VIEWER, null);
    assertEquals(r.body(), 404, r.status());
    assertEquals(r.body(), "not_found", r.json().get("code").asText());
    assertTrue(r.body(), r.json().get("message").asText().contains("no-such-strategy"));
  }

  @Test
  public void aStrategyIdIs503WhenTheRegistryDoesNotAnswerInTime() throws Exception {
    ActorRef<StrategyRegistry.Command> silent = node.systemActorOf(Behaviors.ignore(), "silent-registry-" + UUID.randomUUID(),
        Props.empty());
    // An id the registry might know: without its answer it is neither shown nor called unknown; a
    // configured id is not shown without its lifecycle state either.
    for (String id : List.of("sg-api-9", "trend-ema-12-26")) {
      Reply r = withRoutes(backends(silent, List.of("trend-ema-12-26")), base -> call(base, "GET", "/api/v1/strategies/" + id,
          VIEWER, null, null));
      assertEquals(id + ": " + r.body(), 503, r.status());
      assertEquals(r.body(), "unavailable", r.json().get("code").asText());
      assertTrue(r.body(), r.json().get("message").asText().contains("did not answer in time"));
      assertTrue("a read is simply tried again: " + r.body(), r.json().get("message").asText().endsWith("; try again shortly"));
    }
    // the list too: entries without their lifecycle state would mislead
    Reply list = withRoutes(backends(silent, List.of("trend-ema-12-26")), base -> call(base, "GET", "/api/v1/strategies", VIEWER, null,
        null));
    assertEquals(list.body(), 503, list.status());
    // the status names the component that did not answer (its fields are null, not "none")
    Reply status = withRoutes(backends(silent, List.of("trend-ema-12-26")), base -> call(base, "GET", "/api/v1/status", VIEWER, null,
        null));
    assertEquals(status.body(), 200, status.status());
    assertEquals(status.body(), "[\"strategy-registry\"]", status.json().get("unanswered").toString());
    assertTrue(status.body(), status.json().get("liveStrategies").isNull());
    // a change that got no answer may still be made: the caller is told to look before asking again
    Reply move = withRoutes(backends(silent, List.of("trend-ema-12-26")), base -> call(base, "POST",
        "/api/v1/strategies/sg-api-9/retire", OPERATOR, "{\"reason\": \"r\"}", "application/json"));
    assertEquals(move.body(), 503, move.status());
    assertTrue(move.body(), move.json().get("message").asText().endsWith(
        "the change is not confirmed and may still be made once it recovers: look before asking again"));
  }

  @Test
  public void withoutARegistryOnlyTheConfiguredStrategyIdsAreKnown() throws Exception {
    withRoutes(backends(null, List.of("trend-ema-12-26")), base -> {
      Reply configured = call(base, "GET", "/api/v1/strategies/trend-ema-12-26", VIEWER, null, null);
      assertEquals(configured.body(), 200, configured.status());
      assertEquals("trend-ema-12-26", configured.json().get("id").asText());
      Reply other = call(base, "GET", "/api/v1/strategies/breakout-donchian-20", VIEWER, null, null);
      assertEquals(other.body(), 404, other.status());
      assertEquals(other.body(), "not_found", other.json().get("code").asText());
      assertTrue(other.body(), other.json().get("message").asText().contains("breakout-donchian-20"));
      return null;
    });
  }

  @Test
  public void aBadBodyIsExplainedByItsFieldWhatItMustBeAndWhatWasSent() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    String rm = "PUT /api/v1/policy/risk-mode ";
    String lim = "PUT /api/v1/policy/limits ";
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"expectedVersion\": \"ten\"}",
        "expectedVersion must be a whole number, got \"ten\"");
    cases.put(rm + "[1,2]", "the body must be a JSON object, got an array");
    cases.put(rm + "\"NORMAL\"", "the body must be a JSON object, got \"NORMAL\"");
    cases.put(rm + "null", "the body must be a JSON object, got null");
    cases.put(rm + "{\"mode\": 5, \"reason\": \"r\"}", "mode must be a string, got 5");
    cases.put(rm + "{\"mode\": [\"NORMAL\"], \"reason\": \"r\"}", "mode must be a string, got an array");
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"extra\": true}",
        "unknown field extra (the fields are mode, reason, expectedVersion)");
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"expectedVersion\": \"" + "9".repeat(50) + "\"}",
        "expectedVersion must be a whole number, got a string of 50 characters");
    cases.put(rm + "{\"mode\":", "the body is not valid JSON: it ends before its last value or bracket is complete (line 1, column 9)");
    cases.put(rm + "not json", "the body is not valid JSON: unexpected 'not' where a value belongs");
    cases.put(rm + "{mode: \"NORMAL\"}", "the body is not valid JSON: unexpected character 'm' where a field name in double quotes belongs");
    cases.put(rm + "{} {}", "the body has more after its JSON value");
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"mode\": \"AGGRESSIVE\"}",
        "the body is not valid JSON: field mode is given twice (line 1, column");
    cases.put(lim + "{\"reason\": \"r\", \"maxOpenPositions\": 3, \"maxOpenPositions\": 30}",
        "the body is not valid JSON: field maxOpenPositions is given twice");
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"a" + (char) 1 + "\"}",
        "the body is not valid JSON: a control character inside a string (write it as an escape, e.g. \\n) in reason");
    cases.put(lim + "{\"maxOpenPositions\": 1.5, \"reason\": \"r\"}", "maxOpenPositions must be a whole number, got 1.5");
    cases.put(lim + "{\"maxOpenPositions\": \"3\", \"reason\": \"r\"}", "maxOpenPositions must be a whole number, got \"3\"");
    cases.put(lim + "{\"maxOpenPositions\": 3000000000, \"reason\": \"r\"}",
        "maxOpenPositions must be a whole number from -2147483648 to 2147483647, got 3000000000");
    cases.put(lim + "{\"minConfidence\": \"high\", \"reason\": \"r\"}", "minConfidence must be a number, got \"high\"");
    // Jackson reads these strings as doubles, and 1e400 as infinity: a wrong type like any other, not a value out of range
    cases.put(lim + "{\"minConfidence\": \"NaN\", \"reason\": \"r\"}", "minConfidence must be a number, got \"NaN\"");
    cases.put(lim + "{\"maxGrossExposure\": \"Infinity\", \"reason\": \"r\"}", "maxGrossExposure must be a number, got \"Infinity\"");
    cases.put(lim + "{\"maxRiskPerTrade\": -1e400, \"reason\": \"r\"}", "maxRiskPerTrade: a number too large for a double (-1e400)");
    cases.put(lim + "{\"maxOpenPositions\": 3, \"reason\": true}", "reason must be a string, got true");
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"expiresAt\": \"tomorrow\"}",
        "expiresAt must be an ISO-8601 time such as 2026-11-26T09:00:00Z, got \"tomorrow\"");
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"minutes\": {\"n\": 5}}",
        "minutes must be a whole number, got an object");
    cases.put("POST /api/v1/sg/runs {\"template\": \"trend-ema-cross\", \"population\": \"ten\"}",
        "population must be a whole number, got \"ten\"");
    cases.put("POST /api/v1/sg/runs {\"template\": \"trend-ema-cross\", \"generations\": 1e10}",
        "generations must be a whole number, got 1.0E10 (write a whole number in digits, without a fraction or an exponent)");
    cases.put("POST /api/v1/sg/runs {\"template\": \"trend-ema-cross\", \"generations\": 50.0}",
        "generations must be a whole number, got 50.0 (write a whole number in digits");
    // a lone surrogate is no text, and could not be journaled (it restarted the policy store, at each retry)
    cases.put(lim + "{\"maxOpenPositions\": 7, \"reason\": \"x\\ud800\"}",
        "reason: a lone UTF-16 surrogate (\\ud800) at character 2 is not text");
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"\\udc00 r\"}",
        "reason: a lone UTF-16 surrogate (\\udc00) at character 1 is not text");
    cases.put("POST /api/v1/sg/runs {\"template\": \"trend\\ud83d\"}", "template: a lone UTF-16 surrogate (\\ud83d) at character 6 is not text");
    // escaped control characters: printed as they are, a line break forged a row of the history and ESC drove the terminal
    cases.put(lim + "{\"maxOpenPositions\": 7, \"reason\": \"line1\\nFAKE\"}",
        "reason: a control character (\\u000a) at character 6: text here is one line without control characters");
    cases.put("POST /api/v1/strategies {\"id\": \"esc\", \"template\": \"trend-ema-cross\", \"reason\": \"\\u001b[2J\"}",
        "reason: a control character (\\u001b) at character 1");
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"a\\u0000b\"}", "reason: a control character (\\u0000)");
    cases.put(lim + "{\"maxOpenPositions\": 7, \"reason\": \"ok \\u202edlrow\"}", "reason: a control character (\\u202e) at character 4");
    cases.put(lim + "{\"maxOpenPositions\": 7, \"reason\": \"a\\u2028b\"}", "reason: a control character (\\u2028) at character 2");
    cases.put("POST /api/v1/strategies/x/retire {\"reason\": \"tab\\there\"}", "reason: a control character (\\u0009) at character 4");
    cases.put(lim + "{\"maxOpenPositions\": NaN, \"reason\": \"r\"}", "the body is not valid JSON: 'NaN' is not a JSON number; send a number");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String[] f = c.getKey().split(" ", 3);
      Reply r = call(f[0], f[1], OPERATOR, f[2]);
      assertEquals(c.getKey() + " -> " + r.body(), 400, r.status());
      assertEquals(c.getKey() + " -> " + r.body(), "bad_json", r.json().get("code").asText());
      String message = r.json().get("message").asText();
      assertTrue(c.getKey() + " -> " + message, message.startsWith(c.getValue()));
      for (String internal : List.of("Cannot ", "`", "java.", "Jackson", "CoercionConfig", "JsonToken", "Exception", "request")) {
        assertTrue(c.getKey() + " -> " + message, !message.contains(internal));
      }
    }
  }

  @Test
  public void aBodyOverTheLimitIs413SayingTheLimitAndTheSettingThatRaisesIt() throws Exception {
    String huge = "{\"mode\": \"NORMAL\", \"reason\": \"" + "x".repeat(70_000) + "\"}";
    // With a Content-Length, and streamed (chunked) without one.
    List<HttpResponse<String>> replies = new ArrayList<>();
    for (HttpRequest.BodyPublisher body : List.of(HttpRequest.BodyPublishers.ofString(huge),
        HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))) {
      replies.add(onItsOwnConnection(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(T)
          .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json").PUT(body).build()));
    }
    for (HttpResponse<String> big : replies) {
      Reply r = new Reply(big.statusCode(), big.body(), big);
      assertEquals(r.body(), 413, r.status());
      assertEquals(r.body(), "too_large", r.json().get("code").asText());
      String message = r.json().get("message").asText();
      assertTrue(message, message.contains("65536 bytes") && message.contains("QT_API_MAX_BODY_BYTES"));
      assertTrue(message, !message.contains("malformed") && !message.contains("akka.") && !message.contains("Exception"));
    }
    // The management port has the same limit and answers alike (an operation it does not know: no harm if it were read).
    String self = Json.MAPPER.readTree(call(mgmt, "GET", "/cluster/members", VIEWER, null, null).body()).get("selfNode").asText();
    HttpResponse<String> form = onItsOwnConnection(HttpRequest.newBuilder(URI.create(mgmt + "/cluster/members/" + self)).timeout(T)
        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("operation=Nothing&pad=" + "x".repeat(70_000))).build());
    assertEquals(form.body(), 413, form.statusCode());
    assertEquals(form.body(), "too_large", Json.MAPPER.readTree(form.body()).get("code").asText());
    assertTrue(form.body(), form.body().contains("65536 bytes") && form.body().contains("QT_API_MAX_BODY_BYTES"));
    // The node is still fine, and a body under the limit is not refused for its size.
    Reply small = call("PUT", "/api/v1/policy/risk-mode", OPERATOR, "{\"mode\": \"NORMAL\", \"reason\": \"" + "x".repeat(100) + "\", \"x\": 1}");
    assertEquals(small.body(), 400, small.status());
  }

  /**
   * A request sent by a client of its own: the server may close the connection after refusing a body
   * it did not read, and a pooled connection closed that way would fail the next request.
   */
  private static HttpResponse<String> onItsOwnConnection(HttpRequest request) throws Exception {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void aGeneratorRunTakesTheTemplateByItsCliNameOrItsEnumNameInAnyCase() throws Exception {
    // A generator that answers "busy" naming the template it was asked for: the route's parsing is what is checked.
    ActorRef<StrategyGenerator.Command> generator = node.systemActorOf(Behaviors.<StrategyGenerator.Command>receiveMessage(m -> {
      if (m instanceof StrategyGenerator.StartRun s) s.replyTo().tell(new StrategyGenerator.RunRefused("busy", s.template().name()));
      return Behaviors.same();
    }), "echo-generator-" + UUID.randomUUID(), Props.empty());
    withRoutes(generatorOnly(generator), base -> {
      Map<String, String> forms = Map.of("trend-ema-cross", "TREND_EMA_CROSS", "TREND_EMA_CROSS", "TREND_EMA_CROSS",
          " Donchian-Breakout ", "DONCHIAN_BREAKOUT", "mean_reversion", "MEAN_REVERSION", "MEAN-reversion", "MEAN_REVERSION");
      for (Map.Entry<String, String> f : forms.entrySet()) {
        Reply r = call(base, "POST", "/api/v1/sg/runs", OPERATOR, "{\"template\": \"" + f.getKey() + "\"}", "application/json");
        assertEquals(f.getKey() + ": " + r.body(), 409, r.status());
        assertEquals(f.getKey() + ": " + r.body(), f.getValue(), r.json().get("message").asText());
      }
      for (String body : List.of("{\"template\": \"trend-ema\"}", "{\"template\": \"trend ema cross\"}", "{}")) {
        Reply r = call(base, "POST", "/api/v1/sg/runs", OPERATOR, body, "application/json");
        assertEquals(body + ": " + r.body(), 422, r.status());
        String message = r.json().get("message").asText();
        assertTrue(body + ": " + message, message.contains("trend-ema-cross, donchian-breakout, mean-reversion"));
        assertTrue(body + ": " + message, !message.contains("TREND_EMA_CROSS"));
      }
      return null;
    });
  }

  @Test
  public void strategyEntriesNameTheirParamsAndKeepTheArray() throws Exception {
    JsonNode one = call("GET", "/api/v1/strategies/trend-ema-12-26", VIEWER, null).json();
    assertTrue("no paramsByName: " + one, one.has("paramsByName"));
    assertEquals(one.toString(), "[12.0,26.0,14.0,2.0,0.0]", one.get("params").toString());
    assertEquals(one.toString(), "{\"fast\":12,\"slow\":26,\"atrPeriod\":14,\"stopAtr\":2.0,\"takeProfitAtr\":0.0}",
        one.get("paramsByName").toString());
    int named = 0;
    for (JsonNode st : call("GET", "/api/v1/strategies", VIEWER, null).json().get("strategies")) {
      if (!st.has("template")) continue;
      assertTrue("no paramsByName: " + st, st.has("paramsByName"));
      Template t = Template.valueOf(st.get("template").asText());
      List<String> names = new ArrayList<>();
      st.get("paramsByName").fieldNames().forEachRemaining(names::add);
      assertEquals(st.toString(), t.params().stream().map(Template.Param::name).toList(), names);
      for (int i = 0; i < names.size(); i++) {
        JsonNode v = st.get("paramsByName").get(names.get(i));
        assertEquals(st.toString(), st.get("params").get(i).asDouble(), v.asDouble(), 0);
        assertEquals(st.toString(), t.params().get(i).integer(), v.isIntegralNumber());
      }
      named++;
    }
    assertTrue("no strategy entry with a template", named >= 3);
  }

  /** Backends on the node's actor system with only this registry (null: none) and these configured strategy ids. */
  private static Backends backends(ActorRef<StrategyRegistry.Command> registry, List<String> strategyIds) {
    return new Backends(node, Duration.ofMillis(300), null, null, null, null, null, null, null, null, registry, null, null,
        strategyIds);
  }

  /**
   * A scrape waits at most 2 s for a component: a silent broker (restarting while the database is
   * unreachable) leaves its lines out instead of holding the scrape for the whole ask timeout.
   */
  @Test
  public void aScrapeDoesNotWaitTheWholeAskTimeoutForASilentComponent() throws Exception {
    ActorRef<PaperBroker.Command> silent = node.systemActorOf(Behaviors.ignore(), "silent-broker-" + UUID.randomUUID(), Props.empty());
    Backends b = new Backends(node, Duration.ofSeconds(8), null, null, null, silent, null, null, null, null, null, null, null, List.of());
    long t0 = System.nanoTime();
    Reply r = withRoutes(b, base -> call(base, "GET", "/metrics", VIEWER, null, null));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(r.body(), 200, r.status());
    assertFalse(r.body(), r.body().contains("qt_equity"));
    assertTrue("the scrape took " + seconds + " s", seconds < 6);
  }

  /**
   * The status summary waits at most 2 s for a component, as a scrape does: during an outage it took
   * the whole ask timeout (5 s) to say which components had not answered.
   */
  @Test
  public void statusDoesNotWaitTheWholeAskTimeoutForSilentComponents() throws Exception {
    ActorRef<PaperBroker.Command> broker = node.systemActorOf(Behaviors.ignore(), "silent-broker-" + UUID.randomUUID(), Props.empty());
    ActorRef<StrategyRegistry.Command> registry = node.systemActorOf(Behaviors.ignore(), "silent-registry-" + UUID.randomUUID(),
        Props.empty());
    Backends b = new Backends(node, Duration.ofSeconds(8), null, null, null, broker, null, null, null, null, registry, null, null,
        List.of());
    long t0 = System.nanoTime();
    Reply r = withRoutes(b, base -> call(base, "GET", "/api/v1/status", VIEWER, null, null));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(r.body(), 200, r.status());
    assertEquals(r.body(), "[\"paper-broker\",\"strategy-registry\"]", r.json().get("unanswered").toString());
    assertTrue("the status took " + seconds + " s", seconds < 6);
  }

  /** The status names the feed's state and how long its oldest batch has waited, or that it did not answer. */
  @Test
  public void statusShowsTheFeedOrThatItDidNotAnswer() throws Exception {
    ActorRef<com.quantumtrader.market.MarketFeed.Command> feed = node.systemActorOf(
        Behaviors.receiveMessage(m -> {
          if (m instanceof com.quantumtrader.market.MarketFeed.GetStatus g) {
            g.replyTo().tell(new com.quantumtrader.market.MarketFeed.Status("csv x", "RUNNING", 120, 0, 0, Map.of(), null, 7, Map.of("XL", 1L)));
          }
          return Behaviors.same();
        }), "answering-feed-" + UUID.randomUUID(), Props.empty());
    Reply ok = withRoutes(feedOnly(feed), base -> call(base, "GET", "/api/v1/status", VIEWER, null, null));
    assertEquals(ok.body(), 200, ok.status());
    assertEquals(ok.body(), "{\"state\":\"RUNNING\",\"barsDelivered\":120,\"waitingSeconds\":7,\"possibleBadTicks\":1}", ok.json().get("feed").toString());
    assertEquals(ok.body(), "[]", ok.json().get("unanswered").toString());

    ActorRef<com.quantumtrader.market.MarketFeed.Command> silent = node.systemActorOf(Behaviors.ignore(),
        "silent-feed-" + UUID.randomUUID(), Props.empty());
    Reply none = withRoutes(feedOnly(silent), base -> call(base, "GET", "/api/v1/status", VIEWER, null, null));
    assertEquals(none.body(), 200, none.status());
    assertTrue(none.body(), none.json().get("feed").isNull());
    assertEquals(none.body(), "[\"market-feed\"]", none.json().get("unanswered").toString());
  }

  private static Backends feedOnly(ActorRef<com.quantumtrader.market.MarketFeed.Command> feed) {
    return new Backends(node, Duration.ofMillis(500), null, null, feed, null, null, null, null, null, null, null, null, List.of());
  }

  /** Backends with only this generator. */
  private static Backends generatorOnly(ActorRef<StrategyGenerator.Command> generator) {
    return new Backends(node, Duration.ofSeconds(5), null, null, null, null, null, null, null, null, null, generator, null, List.of());
  }

  interface Calls<R> {
    R run(String base) throws Exception;
  }

  /** Runs {@code calls} against the API's routes over {@code backends}, bound on a free port for the time of the calls. */
  private static <R> R withRoutes(Backends backends, Calls<R> calls) throws Exception {
    ServerBinding binding = Http.get(node).newServerAt("127.0.0.1", 0)
        .bind(new ApiRoutes(backends, Tokens.load("ann:viewer:" + VIEWER + ",otto:operator:" + OPERATOR, null), 64 * 1024).routes())
        .toCompletableFuture().get(T.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return calls.run("http://127.0.0.1:" + binding.localAddress().getPort());
    } finally {
      binding.unbind().toCompletableFuture().get(T.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A request Akka HTTP cannot route (too long a path, an unknown method) still gets the {code, message} body, on both ports. */
  @Test
  public void requestsTooMalformedToRouteGetAJsonError() throws Exception {
    for (String base : List.of(api, mgmt)) {
      Reply longPath = call(base, "GET", "/api/v1/strategies/" + "x".repeat(3000), VIEWER, null, null);
      assertEquals(longPath.body(), 414, longPath.status());
      assertEquals(longPath.body(), "too_large", longPath.json().get("code").asText());
      assertTrue(longPath.body(), longPath.json().get("message").asText().contains("URI"));
      Reply brew = call(base, "BREW", "/api/v1/policy", VIEWER, null, null);
      assertEquals(brew.body(), 501, brew.status());
      assertEquals(brew.body(), "not_implemented", brew.json().get("code").asText());
    }
  }

  @Test
  public void malformedInputGetsTheRight4xx() throws Exception {
    Map<String, Integer> cases = new java.util.LinkedHashMap<>();
    String rm = "PUT /api/v1/policy/risk-mode ";
    cases.put(rm + "{\"mode\":", 400); // truncated
    cases.put(rm + "not json", 400);
    cases.put(rm + "[1,2]", 400);
    cases.put(rm + "{\"mode\": 5, \"reason\": \"r\"}", 400); // wrong type
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"extra\": true}", 400); // unknown field
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\"} trailing", 400);
    cases.put(rm + "{\"mode\": \"SIDEWAYS\", \"reason\": \"r\"}", 422); // unknown mode
    cases.put(rm + "{\"mode\": \"NORMAL\"}", 422); // no reason
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"expectedVersion\": -1}", 422);
    cases.put(rm + "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"expectedVersion\": \"ten\"}", 400);
    cases.put("PUT /api/v1/policy/limits {\"minConfidence\": 1.5, \"reason\": \"r\"}", 422);
    cases.put("PUT /api/v1/policy/limits {\"maxRiskPerTrade\": 0, \"reason\": \"r\"}", 422);
    cases.put("PUT /api/v1/policy/limits {\"maxOpenPositions\": 1.5, \"reason\": \"r\"}", 400);
    cases.put("PUT /api/v1/policy/limits {\"maxOpenPositions\": -3, \"reason\": \"r\"}", 422);
    cases.put("PUT /api/v1/policy/limits {\"reason\": \"r\"}", 422);
    cases.put("POST /api/v1/policy/strategies/no-such-strategy/block {\"reason\": \"r\"}", 404);
    cases.put("POST /api/v1/policy/strategies/trend-ema-12-26/explode {\"reason\": \"r\"}", 404);
    cases.put("POST /api/v1/policy/symbols/NOSUCHSYM/block {\"reason\": \"r\"}", 404);
    cases.put("GET /api/v1/rankings/NOSUCHSYM", 404);
    cases.put("GET /api/v1/rankings?top=abc", 400);
    cases.put("GET /api/v1/rankings?top=0", 400);
    cases.put("GET /api/v1/policy/history?limit=100000", 400);
    cases.put("GET /api/v1/trades?strategy=nope", 404);
    cases.put("GET /api/v1/trades?symbol=NOSUCHSYM", 404); // a typo is not "no trades"
    cases.put("GET /api/v1/analytics?strategy=nope", 404);
    cases.put("GET /api/v1/events?types=nonsense", 400);
    cases.put("GET /api/v1/events?types=policy.updated,,trade.executed", 400);
    cases.put("GET /api/v1/events?types=", 400); // a value a script left out: said, not taken for every type
    cases.put("GET /api/v1/trades?strategy=", 400); // not a 404 for a blank id
    cases.put("GET /api/v1/analytics?strategy=", 400);
    cases.put("GET /api/v1/no/such/route", 404);
    cases.put("DELETE /api/v1/policy", 405);
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\"}", 422); // neither expiry nor minutes
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"minutes\": 0}", 422);
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}", 422);
    cases.put("PUT /api/v1/msc/override {\"mode\": \"DEFENSIVE\", \"reason\": \"r\", \"expiresAt\": \"tomorrow\"}", 400);
    cases.put("DELETE /api/v1/msc/override", 404); // none set
    for (Map.Entry<String, Integer> c : cases.entrySet()) {
      String[] f = c.getKey().split(" ", 3);
      Reply r = call(f[0], f[1], OPERATOR, f.length > 2 ? f[2] : null);
      assertEquals(c.getKey() + " -> " + r.body(), (int) c.getValue(), r.status());
      JsonNode j = r.json();
      assertNotNull(c.getKey() + ": " + r.body(), j.get("code"));
      assertNotNull(c.getKey() + ": " + r.body(), j.get("message"));
      assertTrue(c.getKey() + ": " + r.body(), !r.body().contains("Exception") && !r.body().contains("\tat "));
    }
    // A body over the limit.
    String huge = "{\"mode\": \"NORMAL\", \"reason\": \"" + "x".repeat(70_000) + "\"}";
    HttpResponse<String> raw = onItsOwnConnection(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(T)
        .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(huge)).build());
    Reply big = new Reply(raw.statusCode(), raw.body(), raw);
    assertEquals(big.body(), 413, big.status());
    assertEquals("too_large", big.json().get("code").asText());
  }

  @Test
  public void thousandsOfGeneratedBadRequestsGetNo5xxAndLeaveThePolicyUnchanged() throws Exception {
    long seed = Long.getLong("qt.seed", System.nanoTime());
    SplittableRandom rnd = new SplittableRandom(seed);
    String before = call("GET", "/api/v1/policy", VIEWER, null).body();
    String[] writes = {"PUT /api/v1/policy/risk-mode", "PUT /api/v1/policy/limits", "POST /api/v1/policy/strategies/trend-ema-12-26/block",
        "POST /api/v1/policy/strategies/breakout-donchian-20/allow", "POST /api/v1/policy/symbols/SYN001/block",
        "PUT /api/v1/msc/override"};
    String[] junk = {"", "{", "}", "[]", "null", "true", "0", "\"str\"", "{\"reason\":}", "{\"mode\":\"NORMAL\",}", "\u0000\u0001",
        "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":null}]}}}", "{\"reason\": \"" + "\\u00".repeat(3) + "\"}"};
    int n = 2000;
    Map<Integer, Integer> seen = new java.util.TreeMap<>();
    try {
      for (int i = 0; i < n; i++) {
        String[] w = writes[rnd.nextInt(writes.length)].split(" ");
        String body;
        switch (rnd.nextInt(6)) {
          case 0 -> body = junk[rnd.nextInt(junk.length)];
          case 1 -> body = "{\"mode\": \"NORMAL\", \"reason\": \"r\", \"" + randomWord(rnd) + "\": " + rnd.nextInt() + "}"; // unknown field
          case 2 -> body = "{\"minConfidence\": " + (1.0 + rnd.nextDouble() * 1e6) + ", \"reason\": \"r\"}"; // out of range / unknown
          case 3 -> body = "{\"reason\": " + rnd.nextInt() + ", \"mode\": [" + rnd.nextInt() + "]}"; // wrong types
          case 4 -> body = randomBytes(rnd);
          default -> body = "{\"mode\": \"" + randomWord(rnd) + "\", \"reason\": \"\"}"; // bad mode, empty reason
        }
        String method = rnd.nextInt(10) == 0 ? new String[] {"GET", "DELETE", "PATCH", "POST", "PUT"}[rnd.nextInt(5)] : w[0];
        String path = rnd.nextInt(10) == 0 ? "/api/v1/" + randomWord(rnd) + "/" + randomWord(rnd) : w[1];
        if (method.equals("GET")) body = null;
        Reply r = call(method, path, OPERATOR, body);
        seen.merge(r.status(), 1, Integer::sum);
        if (r.status() >= 500) fail("seed " + seed + ": " + method + " " + path + " " + body + " -> " + r.status() + " " + r.body());
        if (r.status() < 400) fail("seed " + seed + ": a bad request was accepted: " + method + " " + path + " " + body + " -> " + r.body());
        r.json(); // always a JSON error body
      }
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
    assertEquals("seed " + seed, before, call("GET", "/api/v1/policy", VIEWER, null).body());
    System.out.println("generated bad requests (seed " + seed + "): statuses " + seen);
  }

  private static String randomWord(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    int len = 1 + rnd.nextInt(12);
    for (int i = 0; i < len; i++) sb.append((char) ('a' + rnd.nextInt(26)));
    return sb.toString();
  }

  private static String randomBytes(SplittableRandom rnd) {
    byte[] b = new byte[1 + rnd.nextInt(200)];
    for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(256);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  public void theEventStreamDeliversAPolicyUpdateWithinASecond() throws Exception {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
    HttpRequest req = HttpRequest.newBuilder(URI.create(api + "/api/v1/events?types=policy.updated"))
        .header("Authorization", "Bearer " + VIEWER).build();
    HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) lines.add(l);
      } catch (Exception ignored) {
        // the test closes the stream
      }
    });
    reader.setDaemon(true);
    reader.start();
    // The subscription is made when the stream starts; give the bus a moment by retrying the change.
    long deadline = System.nanoTime() + T.toNanos();
    String reason = null;
    String data = null;
    long elapsedMs = -1;
    while (data == null && System.nanoTime() < deadline) {
      reason = "sse check " + System.nanoTime();
      String mode = rndMode();
      Reply w = call("PUT", "/api/v1/policy/risk-mode", OPERATOR, "{\"mode\": \"" + mode + "\", \"reason\": \"" + reason + "\"}");
      assertEquals(w.body(), 200, w.status());
      long changed = System.nanoTime();
      String l;
      while ((l = lines.poll(1, TimeUnit.SECONDS)) != null) {
        if (l.startsWith("data:") && l.contains(reason)) {
          data = l;
          elapsedMs = (System.nanoTime() - changed) / 1_000_000;
          break;
        }
      }
    }
    resp.body().close();
    assertNotNull("no policy.updated event arrived", data);
    System.out.println("policy.updated reached the SSE client " + elapsedMs + " ms after the write was acknowledged");
    assertTrue("took " + elapsedMs + " ms", elapsedMs <= 1000);
    JsonNode e = Json.MAPPER.readTree(data.substring(5).trim());
    assertEquals("otto", e.get("payload").get("changedBy").asText());
  }

  private static int modeFlip;

  private static String rndMode() {
    return (modeFlip++ % 2 == 0) ? "DEFENSIVE" : "NORMAL";
  }

  @Test
  public void metricsAreInThePrometheusTextFormat() throws Exception {
    Reply r = call("GET", "/metrics", VIEWER, null);
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    for (String name : List.of("qt_events_published_total{type=\"policy.updated\"}", "qt_bars_delivered_total", "qt_bars_rejected_total",
        "qt_ranker_lag_bars", "qt_journal_write_latency_seconds", "qt_shards{", "qt_equity", "qt_open_positions", "qt_policy_mode{mode=\"NORMAL\"}")) {
      assertTrue(name + " missing in\n" + r.body(), r.body().contains(name));
    }
    List<String> bad = new ArrayList<>();
    for (String l : r.body().split("\n")) {
      if (l.startsWith("#") || l.isBlank()) continue;
      if (!l.matches("[a-z_]+(\\{[^}]*\\})? -?[0-9.eE+NaInf-]+")) bad.add(l);
    }
    assertTrue("lines not in the text format: " + bad, bad.isEmpty());
    assertNotEquals(0, r.body().length());
  }
}
