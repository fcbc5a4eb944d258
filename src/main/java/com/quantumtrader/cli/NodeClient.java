package com.quantumtrader.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/**
 * HTTP to one node (its API or its management port) with a bearer token. A 4xx or 5xx answer
 * becomes a {@link CliException} with the node's {@code code: message}; a node that cannot be
 * reached becomes one with exit code 3.
 */
final class NodeClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A successful answer: its status and body as text. */
  record Reply(int status, String body) {
    JsonNode json() throws CliException {
      try {
        return MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new CliException(CliException.SERVER_ERROR, "the node's answer is not JSON: " + abbreviate(body));
      }
    }
  }

  private final HttpClient http;
  private final URI base;
  private final String token;

  NodeClient(URI base, String token) {
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    this.base = base;
    this.token = token;
  }

  URI base() {
    return base;
  }

  Reply get(String pathAndQuery) throws CliException {
    return send(request(pathAndQuery).GET());
  }

  Reply sendJson(String method, String path, Object body) throws CliException {
    String json;
    try {
      json = MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request body of maps and strings is always JSON", e);
    }
    return send(request(path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  Reply sendForm(String method, String path, Map<String, String> form) throws CliException {
    StringJoiner j = new StringJoiner("&");
    form.forEach((k, v) -> j.add(encode(k) + "=" + encode(v)));
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, HttpRequest.BodyPublishers.ofString(j.toString(), StandardCharsets.UTF_8)));
  }

  Reply delete(String pathAndQuery) throws CliException {
    return send(request(pathAndQuery).DELETE());
  }

  /**
   * Opens a Server-Sent Events stream and hands its lines to {@code lines}; returns once the node
   * has answered 200 (the lines keep coming on the client's threads until the subscription is
   * cancelled or the stream ends).
   */
  void stream(String pathAndQuery, Flow.Subscriber<String> lines) throws CliException {
    HttpRequest req = HttpRequest.newBuilder(resolve(pathAndQuery))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
    // Errors come back as a JSON body: read it whole. A 200 goes to the line subscriber, and the
    // response completes at once (not when the endless body ends).
    HttpResponse.BodyHandler<String> handler = info -> info.statusCode() == 200
        ? new Detached(HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, null))
        : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    CompletableFuture<HttpResponse<String>> f = http.sendAsync(req, handler);
    HttpResponse<String> resp = await(f, REQUEST_TIMEOUT);
    if (resp.statusCode() != 200) throw serverError(resp.statusCode(), resp.body());
  }

  /** A body subscriber whose response is complete as soon as the headers are in; the body flows on to {@code inner}. */
  private record Detached(HttpResponse.BodySubscriber<?> inner) implements HttpResponse.BodySubscriber<String> {
    @Override
    public java.util.concurrent.CompletionStage<String> getBody() {
      return CompletableFuture.completedFuture("");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      inner.onSubscribe(subscription);
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> item) {
      inner.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      inner.onError(throwable);
    }

    @Override
    public void onComplete() {
      inner.onComplete();
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
  }

  private URI resolve(String pathAndQuery) {
    return URI.create(base.toString() + pathAndQuery);
  }

  private Reply send(HttpRequest.Builder b) throws CliException {
    HttpResponse<String> resp = await(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
        REQUEST_TIMEOUT.plusSeconds(5));
    if (resp.statusCode() >= 400) throw serverError(resp.statusCode(), resp.body());
    return new Reply(resp.statusCode(), resp.body());
  }

  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> f, Duration max) throws CliException {
    try {
      return f.get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new CliException(CliException.UNREACHABLE, "interrupted while waiting for " + base);
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new CliException(CliException.UNREACHABLE, base + " did not answer within " + max.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw unreachable(e.getCause());
    }
  }

  private CliException unreachable(Throwable t) {
    Throwable root = t;
    boolean connect = t instanceof ConnectException, unknownHost = false;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      connect |= root instanceof ConnectException;
      unknownHost |= root instanceof UnresolvedAddressException || root instanceof java.net.UnknownHostException;
    }
    String why;
    if (t instanceof HttpConnectTimeoutException) why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    else if (t instanceof HttpTimeoutException) why = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    else if (unknownHost) why = "unknown host";
    else if (connect) why = "connection refused (is the node running, and is this its port?)";
    else if (root instanceof IOException) why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    else why = String.valueOf(root);
    return new CliException(CliException.UNREACHABLE, "cannot reach the node at " + base + ": " + why);
  }

  /** {@code code: message} from a JSON error body (Akka Management's have only a message), else the status and text. */
  static CliException serverError(int status, String body) {
    String code = "http " + status;
    String message = abbreviate(body);
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n != null && n.isObject()) {
        if (n.hasNonNull("code")) code = Table.safe(n.get("code").asText());
        if (n.hasNonNull("message")) message = Table.safe(n.get("message").asText());
      }
    } catch (JsonProcessingException e) {
      // not JSON: the text itself
    }
    if (message.isBlank()) message = "(no message)";
    return new CliException(CliException.SERVER_ERROR, code + ": " + message);
  }

  private static String abbreviate(String s) {
    if (s == null) return "";
    String t = Table.safe(s.strip().replaceAll("\\s+", " "));
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
