package com.quantumtrader.cli;

import static com.quantumtrader.cli.CliTest.cli;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** `events --follow` when the node goes away in the middle of the stream (no node needed: a socket plays it). */
public class EventsCommandTest {

  /**
   * The node sends one event, then its connection is cut (it stopped): the command says so in
   * words, with what to do, and exits 3 (the node cannot be reached), not with the HTTP client's
   * "chunked transfer encoding, state: READING_LENGTH".
   */
  @Test
  public void aStreamCutByTheNodeIsSaidInWords() throws Exception {
    Path token = Files.createTempFile("qt-token-", ".txt");
    Files.writeString(token, "a-secret-of-more-than-16-chars\n");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread node = new Thread(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[8192];
          in.read(buf); // the request
          OutputStream out = s.getOutputStream();
          String event = "event: trade.executed\ndata: {\"type\":\"trade.executed\"}\n\n";
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(event.length()) + "\r\n" + event + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(300);
          s.setSoLinger(true, 0); // cut: no last chunk
        } catch (Exception e) {
          // the test fails on the command's output
        }
      });
      node.start();
      CliTest.Result r = cli("events", "--follow", "--node", "http://127.0.0.1:" + server.getLocalPort(), "--token-file", token.toString());
      node.join(10_000);
      assertEquals(r.toString(), 3, r.exit());
      assertTrue(r.err(), r.err().contains("the event stream from http://127.0.0.1:" + server.getLocalPort() + " was cut (the node stopped"
          + " or the connection broke"));
      assertTrue(r.err(), r.err().contains("start events --follow again once the node is back"));
    } finally {
      Files.deleteIfExists(token);
    }
  }
}
