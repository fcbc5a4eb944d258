package com.quantumtrader.cli;

import static com.quantumtrader.cli.CliTest.cli;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** `status` while components do not answer (a database outage): it names them, and does not say "none" for what it does not know. */
public class StatusCommandTest {
  @Test
  public void componentsThatDidNotAnswerAreNamedAndTheirFieldsShowADash() throws Exception {
    Path token = Files.createTempFile("qt-token-", ".txt");
    Files.writeString(token, "a-secret-of-more-than-16-chars\n");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = ("{\"node\":\"akka://QuantumTrader@127.0.0.1:25520\",\"memberStatus\":\"Up\",\"members\":1,\"policyVersion\":3,"
        + "\"riskMode\":\"NORMAL\",\"regime\":null,\"mscOverride\":null,\"unanswered\":[\"meta-strategy-controller\",\"paper-broker\"],"
        + "\"equity\":null,\"openPositions\":null,\"realizedPnl\":null,\"health\":\"DEGRADED\",\"healthReasons\":[\"journal: probe write"
        + " failed\"],\"liveStrategies\":[\"trend-ema-12-26\"],\"strategiesByState\":{\"LIVE\":1},"
        + "\"feed\":{\"state\":\"RUNNING\",\"barsDelivered\":12345,\"waitingSeconds\":42,\"possibleBadTicks\":2}}").getBytes(StandardCharsets.UTF_8);
    server.createContext("/api/v1/status", x -> {
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    try {
      CliTest.Result r = cli("status", "--node", "http://127.0.0.1:" + server.getAddress().getPort(), "--token-file", token.toString());
      assertEquals(r.toString(), 0, r.exit());
      assertTrue(r.out(), r.out().lines().anyMatch(l -> l.matches("msc override: +-")));
      assertTrue(r.out(), r.out().contains("not answering in time: meta-strategy-controller, paper-broker (their figures show -;"));
      // the feed runs, but the broker has not taken its batch for 42 s; two bars spiked and came back
      assertTrue(r.out(), r.out().lines().anyMatch(l -> l.matches("market feed: +RUNNING, 12,345 bars delivered, waiting 42 s for a batch to be taken,"
          + " 2 possible bad ticks \\(named in the node's log\\)")));
    } finally {
      server.stop(0);
      Files.deleteIfExists(token);
    }
  }
}
