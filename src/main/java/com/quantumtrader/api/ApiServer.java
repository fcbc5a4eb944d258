package com.quantumtrader.api;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.AkkaManagement;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the operator API and, on its own port, Akka Management's routes (cluster members and
 * shards, leave and down, readiness and liveness) behind the same tokens: reads need viewer, cluster
 * commands (any other method) need admin. Both are unbound by CoordinatedShutdown.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private ApiServer() {}

  /** The bound ports (for tests started on port 0). */
  public record Bound(ServerBinding api, ServerBinding management) {}

  public static CompletionStage<Bound> start(ActorSystem<?> system, ApiSettings settings, Backends backends) {
    if (settings.tokens().size() == 0) {
      log.warn("api: no tokens are configured (QT_API_TOKENS or QT_API_TOKENS_FILE): every request will be refused with 401");
    } else {
      log.info("api: {} tokens: {}", settings.tokens().size(), settings.tokens().describe());
    }
    Http http = Http.get(system);
    CompletionStage<ServerBinding> api = settings.enabled()
        ? http.newServerAt(settings.host(), settings.port())
            .bind(new ApiRoutes(backends, settings.tokens(), settings.maxBodyBytes()).routes())
            .thenApply(bound -> {
              bound.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
              log.info("api: listening on http://{}/api/v1", hostPort(bound));
              return bound;
            })
        : java.util.concurrent.CompletableFuture.completedFuture(null);
    CompletionStage<ServerBinding> mgmt = settings.managementEnabled()
        ? http.newServerAt(settings.managementHost(), settings.managementPort())
            .bind(management(system, settings.tokens(), settings.maxBodyBytes()))
            .thenApply(bound -> {
              bound.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
              log.info("management: listening on http://{} (/cluster/members, /cluster/shards/<region>, /ready, /alive)",
                  hostPort(bound));
              return bound;
            })
        : java.util.concurrent.CompletableFuture.completedFuture(null);
    return api.thenCombine(mgmt, Bound::new).whenComplete((b, err) -> {
      if (err != null) log.error("api: could not bind: {}", err.getMessage());
    });
  }

  private static String hostPort(ServerBinding b) {
    return b.localAddress().getHostString() + ":" + b.localAddress().getPort();
  }

  static Route management(ActorSystem<?> system, Tokens tokens, int maxBodyBytes) {
    Route akkaRoutes = AkkaManagement.get(akka.actor.typed.javadsl.Adapter.toClassic(system)).getRoutes();
    // /ready and /alive are answered here, with the reason when not: through Akka Management they were a
    // 500 "internal" naming a lambda's class, and its 1 s check timeout cut the journal's 2 s and the monitor's 3 s
    JournalReadiness journal = new JournalReadiness(akka.actor.typed.javadsl.Adapter.toClassic(system));
    NodeLiveness live = new NodeLiveness(akka.actor.typed.javadsl.Adapter.toClassic(system));
    Guard g = new Guard();
    return g.handleExceptions(akka.http.javadsl.server.ExceptionHandler.newBuilder()
            .match(Throwable.class, e -> {
              var big = ApiRoutes.sizeExceeded(e);
              if (big.isPresent()) {
                return g.complete(Json.error(akka.http.javadsl.model.StatusCodes.PAYLOAD_TOO_LARGE, "too_large",
                    ApiRoutes.tooLargeMessage(big.get())));
              }
              log.error("management: unexpected failure", e);
              return g.complete(Json.error(akka.http.javadsl.model.StatusCodes.INTERNAL_SERVER_ERROR,
                  "internal", "an unexpected error; it is in the node's log"));
            })
            .build(),
        () -> g.handleRejections(ApiRoutes.rejections(), () -> g.withSizeLimit(maxBodyBytes, () -> g.extractMethod(method ->
            ApiRoutes.oneAuthorization(g, () -> g.optionalHeaderValueByName("Authorization", header -> {
              var p = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).flatMap(h -> tokens.authenticate(h.substring(7).trim()));
              if (p.isEmpty()) {
                return g.complete(Json.error(akka.http.javadsl.model.StatusCodes.UNAUTHORIZED, "unauthorized",
                    header.isEmpty() ? "a bearer token is required (Authorization: Bearer <token>)" : "the token is not valid"));
              }
              Role needed = method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD) ? Role.VIEWER : Role.ADMIN;
              return ApiRoutes.need(g, p.get(), needed, () -> g.extractUri(uri -> {
                // Akka Management's join (POST /cluster/members, address=...) is not one of ours: nodes join
                // through their seed nodes; a malformed address made it answer 500
                if (method.equals(HttpMethods.POST) && uri.path().equals("/cluster/members")) {
                  return g.complete(Json.error(akka.http.javadsl.model.StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed",
                      "a node joins the cluster through its seed nodes (QT_CLUSTER_SEED_NODES), not through this route"));
                }
                boolean read = method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD);
                if (read && uri.path().equals("/ready")) {
                  return g.onSuccess(notReady(system, journal), reasons -> g.complete(reasons.isEmpty()
                      ? Json.response(akka.http.javadsl.model.StatusCodes.OK, java.util.Map.of("status", "ready"))
                      : Json.error(akka.http.javadsl.model.StatusCodes.SERVICE_UNAVAILABLE, "not_ready",
                          "not ready: " + String.join("; ", reasons))));
                }
                if (read && uri.path().equals("/alive")) {
                  return g.onSuccess(live.get(), alive -> g.complete(alive
                      ? Json.response(akka.http.javadsl.model.StatusCodes.OK, java.util.Map.of("status", "alive"))
                      : Json.error(akka.http.javadsl.model.StatusCodes.SERVICE_UNAVAILABLE, "not_alive",
                          "not alive: the node's health monitor did not answer within 3 s")));
                }
                if (needed == Role.ADMIN) log.info("management: {} {} by token {}", method.value(), uri.path(), p.get().name());
                // Akka Management's own errors are {"message": ...}: give them our {code, message} shape.
                return g.mapResponse(ApiServer::withErrorCode, () -> akkaRoutes);
              }));
            }))))));
  }

  /** Why this node is not ready (empty: ready): an Up member of the cluster, and the journal's database answers. */
  private static java.util.concurrent.CompletionStage<java.util.List<String>> notReady(ActorSystem<?> system, JournalReadiness journal) {
    akka.cluster.MemberStatus status = akka.cluster.typed.Cluster.get(system).selfMember().status();
    // Up, or WeaklyUp (a member admitted while another is unreachable), as Akka Management's own check
    String member = status == akka.cluster.MemberStatus.up() || status == akka.cluster.MemberStatus.weaklyUp() ? null
        : "this node is " + status + " in the cluster, not Up";
    return journal.problem().thenApply(db -> java.util.stream.Stream.of(member, db.orElse(null)).filter(java.util.Objects::nonNull).toList());
  }

  private static akka.http.javadsl.model.HttpResponse withErrorCode(akka.http.javadsl.model.HttpResponse r) {
    if (r.status().intValue() < 400 || !(r.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict)) return r;
    String text = strict.getData().utf8String();
    String message = text;
    try {
      var node = Json.MAPPER.readTree(text);
      if (node != null && node.has("code")) return r;
      if (node != null && node.has("message")) message = node.get("message").asText();
    } catch (Exception notJson) {
      // plain text: used as the message
    }
    return Json.asError(r, message);
  }

  /** Directives for the management wrapper. */
  private static final class Guard extends AllDirectives {}
}
