package com.quantumtrader.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.quantumtrader.app.Guardian;
import com.quantumtrader.app.Node;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

/**
 * The routes that read the journal database themselves (the policy history, MSC's decisions) while
 * PostgreSQL is down: a JSON 503 {@code unavailable} that names the database, within the ask timeout
 * (they answered 500 {@code internal}, "an unexpected error", or after 20 s Akka HTTP's plain-text
 * 503), and 200 again once it is back; the management port's readiness says why it is not ready.
 */
public class ApiDatabaseOutageTest {
  private static final String VIEWER = "viewer-secret-0123456789", OPERATOR = "operator-secret-0123456789";
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  public void historyRoutesAnswerAJson503NamingTheDatabaseWhileItIsDown() throws Exception {
    PostgresServer.get(); // skips cleanly when PostgreSQL is not installed
    PostgresServer pg = PostgresServer.startNew(false);
    ActorSystem<Guardian.Command> node = null;
    try {
      node = Node.start(TestNodes.postgres(pg, Map.of("QT_DATA_DIR", Files.createTempDirectory("qt-api-").toString(),
          "QT_API_TOKENS", "ann:viewer:" + VIEWER + ",otto:operator:" + OPERATOR, "QT_MARKET_ENABLED", "false", "QT_ASK_TIMEOUT", "2s")));
      ApiServer.Bound b = AskPattern.<Guardian.Command, ApiServer.Bound>ask(node, Guardian.GetApiBinding::new, Duration.ofSeconds(20),
          node.scheduler()).toCompletableFuture().get();
      String api = "http://127.0.0.1:" + b.api().localAddress().getPort();
      String mgmt = "http://127.0.0.1:" + b.management().localAddress().getPort();
      String[] routes = {"/api/v1/policy/history?limit=2", "/api/v1/msc/decisions?limit=2"};
      for (String r : routes) awaitStatus(api + r, 200);
      awaitStatus(mgmt + "/ready", 200);

      pg.pause();
      for (String r : routes) {
        for (int i = 0; i < 3; i++) { // at once, and as the pool runs out of connections
          long t0 = System.nanoTime();
          HttpResponse<String> resp = get(api + r);
          double seconds = (System.nanoTime() - t0) / 1e9;
          assertEquals(r + ": " + resp.body(), 503, resp.statusCode());
          JsonNode body = Json.MAPPER.readTree(resp.body());
          assertEquals(resp.body(), "unavailable", body.get("code").asText());
          // MSC's decisions ask MSC first, which may be restarting on the same outage
          String m = body.get("message").asText();
          assertTrue(resp.body(), m.startsWith("the journal database could not be read (") || m.startsWith("the journal database did not answer"
              + " in time") || r.contains("decisions") && m.startsWith("the component did not answer in time"));
          assertTrue(r + " took " + seconds + " s", seconds < 15);
        }
      }
      // readiness says why (it was a 500 "internal" naming a lambda's class); liveness stays
      HttpResponse<String> ready = get(mgmt + "/ready");
      assertEquals(ready.body(), 503, ready.statusCode());
      JsonNode why = Json.MAPPER.readTree(ready.body());
      assertEquals(ready.body(), "not_ready", why.get("code").asText());
      assertTrue(ready.body(), why.get("message").asText().startsWith("not ready: the journal database cannot be reached: "));
      assertEquals(200, get(mgmt + "/alive").statusCode());
      // a change the policy store cannot journal: its 503 says what the health monitor says of the journal, once it says it
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      String said = "";
      while (System.nanoTime() < deadline && !said.contains("; the health monitor says journal: ")) {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/policy/risk-mode")).timeout(Duration.ofSeconds(40))
            .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\": \"DEFENSIVE\", \"reason\": \"outage drill\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(put.body(), 503, put.statusCode());
        said = put.body();
      }
      assertTrue(said, said.contains("the component did not answer in time (it may be restarting, e.g. while the database is unreachable;"
          + " the health monitor says journal: ") && said.contains("the change is not confirmed"));
      pg.resume();
      for (String r : routes) awaitStatus(api + r, 200);
      awaitStatus(mgmt + "/ready", 200);
    } finally {
      if (node != null) {
        node.terminate();
        node.getWhenTerminated().toCompletableFuture().get();
      }
      pg.stop();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40)).header("Authorization", "Bearer " + VIEWER)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitStatus(String url, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> last;
    do {
      last = get(url);
      if (last.statusCode() == status) return;
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(url + ": " + last.statusCode() + " " + last.body());
  }
}
