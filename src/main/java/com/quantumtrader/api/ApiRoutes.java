package com.quantumtrader.api;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MalformedRequestContentRejection;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.quantumtrader.analytics.AnalyticsProjection;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventEnvelope;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.common.Futures;
import com.quantumtrader.execution.Orchestrator;
import com.quantumtrader.execution.PaperBroker;
import com.quantumtrader.health.HealthMonitor;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.msc.MetaStrategyController;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicyHistory;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.ranker.RankingAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operator API, {@code /api/v1}, and the Prometheus endpoint {@code /metrics}. Every route needs
 * a bearer token (401 without a valid one) whose role covers the route (403 otherwise): GETs need
 * viewer, writes operator. Writes are attributed to the token's name. Errors are JSON {@code {code,
 * message}} with 400 (malformed: bad JSON, wrong types, unknown fields, bad query parameters), 404
 * (unknown path, symbol, strategy), 405, 409 (expected version is not the current one, a lifecycle
 * move the state does not allow, an SG run already going), 413 (body too large), 422 (well-formed
 * but breaks a rule), 500 (a bug) or 503 (a component is disabled or did not answer).
 * See docs/api.md, which {@code ApiDocTest} checks against {@link #ROUTES}.
 */
public final class ApiRoutes extends AllDirectives {

  /** Every route: method, path pattern, role. docs/api.md lists exactly these. */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/status viewer",
      "GET /api/v1/policy viewer",
      "GET /api/v1/policy/history viewer",
      "PUT /api/v1/policy/risk-mode operator",
      "PUT /api/v1/policy/limits operator",
      "POST /api/v1/policy/strategies/{id}/allow operator",
      "POST /api/v1/policy/strategies/{id}/block operator",
      "POST /api/v1/policy/strategies/{id}/disallow operator",
      "POST /api/v1/policy/strategies/{id}/unblock operator",
      "POST /api/v1/policy/symbols/{symbol}/block operator",
      "POST /api/v1/policy/symbols/{symbol}/unblock operator",
      "GET /api/v1/strategies viewer",
      "POST /api/v1/strategies operator",
      "GET /api/v1/strategies/{id} viewer",
      "POST /api/v1/strategies/{id}/shadow operator",
      "POST /api/v1/strategies/{id}/promote operator",
      "POST /api/v1/strategies/{id}/demote operator",
      "POST /api/v1/strategies/{id}/retire operator",
      "GET /api/v1/sg/runs viewer",
      "POST /api/v1/sg/runs operator",
      "GET /api/v1/sg/runs/{run} viewer",
      "DELETE /api/v1/sg/runs/{run} operator",
      "GET /api/v1/msc viewer",
      "GET /api/v1/msc/decisions viewer",
      "PUT /api/v1/msc/override operator",
      "DELETE /api/v1/msc/override operator",
      "GET /api/v1/rankings viewer",
      "GET /api/v1/rankings/{symbol} viewer",
      "GET /api/v1/feed viewer",
      "GET /api/v1/portfolio viewer",
      "GET /api/v1/positions viewer",
      "GET /api/v1/orders viewer",
      "GET /api/v1/trades viewer",
      "GET /api/v1/analytics viewer",
      "GET /api/v1/analytics/equity viewer",
      "GET /api/v1/events viewer",
      "GET /api/v1/health viewer",
      "GET /metrics viewer");

  public static final int MAX_PAGE = 1000;

  private final Backends b;
  private final Tokens tokens;
  private final int maxBody;
  private final Executor ec;
  private final Metrics metrics;

  public ApiRoutes(Backends backends, Tokens tokens, int maxBodyBytes) {
    this.b = backends;
    this.tokens = tokens;
    this.maxBody = maxBodyBytes;
    this.ec = backends.system().executionContext();
    this.metrics = new Metrics(backends);
  }

  // ----- request bodies

  public record RiskModeRequest(String mode, String reason, Long expectedVersion) {}

  public record LimitsRequest(Double minConfidence, Double maxRiskPerTrade, Integer maxOpenPositions,
      Double maxGrossExposure, String reason, Long expectedVersion) {}

  public record ReasonRequest(String reason, Long expectedVersion) {}

  /**
   * A strategy an operator brings (e.g. a candidate of {@code evolve} run elsewhere): its id, template
   * and parameters by name (the template's defaults for those not given).
   */
  public record RegisterRequest(String id, String template, Map<String, Double> params, String reason, Long expectedVersion) {}

  /** An override until {@code expiresAt}, or for {@code minutes} from now (exactly one of the two). */
  public record OverrideRequest(String mode, String reason, Instant expiresAt, Long minutes) {}

  /** A generator run on the node's candles ({@code symbol} among them) or, without candles, its synthetic market. */
  /** Population and generations as whole numbers of any size, so that one out of range is answered with its own range. */
  public record RunRequest(String template, String symbol, String interval, Long population, Long generations, Long seed) {}

  /** Thrown by validation inside a route: becomes its status and JSON body. */
  static final class ApiException extends RuntimeException {
    final StatusCode status;
    final String code;

    ApiException(StatusCode status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  static ApiException invalid(String message) {
    return new ApiException(StatusCodes.UNPROCESSABLE_ENTITY, "invalid", message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(StatusCodes.BAD_REQUEST, "bad_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(StatusCodes.NOT_FOUND, "not_found", message);
  }

  // ----- the tree

  public Route routes() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () ->
        withSizeLimit(maxBody, () -> authenticated(p -> concat(
            pathPrefix("api", () -> pathPrefix("v1", () -> eachParameterOnce(() -> v1(p)))),
            path("metrics", () -> get(() -> need(p, Role.VIEWER, this::metrics))))))));
  }

  private static final akka.http.javadsl.model.ContentType.WithCharset PROMETHEUS_TEXT =
      akka.http.javadsl.model.ContentTypes.create(akka.http.javadsl.model.MediaTypes.TEXT_PLAIN,
          akka.http.javadsl.model.HttpCharsets.UTF_8);

  private Route metrics() {
    return onDone(metrics.render(), text -> complete(HttpResponse.create().withEntity(PROMETHEUS_TEXT, text)));
  }

  /** The query parameters each route of /api/v1 takes, by method and path (any other takes none). */
  static final Map<String, List<String>> QUERY_PARAMETERS = Map.of(
      "GET /api/v1/strategies", List.of("state"),
      "GET /api/v1/rankings", List.of("top"),
      "GET /api/v1/trades", List.of("strategy", "symbol", "limit", "offset"),
      "GET /api/v1/analytics", List.of("strategy"),
      "GET /api/v1/analytics/equity", List.of("strategy"),
      "GET /api/v1/events", List.of("types"),
      "GET /api/v1/policy/history", List.of("limit", "before"),
      "GET /api/v1/msc/decisions", List.of("limit"),
      "DELETE /api/v1/msc/override", List.of("reason"));

  /**
   * 400 for a query parameter given more than once ({@code ?limit=5&limit=500}): which one was meant
   * is a guess, and Akka HTTP would take the first. (One the route does not take is refused once the
   * route is known: {@link #need(Tokens.Principal, Role, Supplier)}.)
   */
  private Route eachParameterOnce(Supplier<Route> inner) {
    return extractUri(uri -> {
      for (Map.Entry<String, List<String>> e : uri.query().toMultiMap().entrySet()) {
        if (e.getValue().size() > 1) {
          throw badRequest("query parameter " + e.getKey() + " is given " + e.getValue().size() + " times; give it once");
        }
      }
      return inner.get();
    });
  }

  private Route v1(Tokens.Principal p) {
    return concat(
        path("status", () -> get(() -> need(p, Role.VIEWER, this::status))),
        pathPrefix("policy", () -> policy(p)),
        pathPrefix("strategies", () -> concat(
            pathEnd(() -> concat(
                get(() -> need(p, Role.VIEWER, () -> parameterOptional("state", state -> {
                  com.quantumtrader.strategy.StrategyRegistry.Lifecycle wanted = state.map(ApiRoutes::lifecycle).orElse(null);
                  return json(strategyEntries().thenApply(l -> Map.of("strategies",
                      wanted == null ? l : l.stream().filter(m -> wanted.equals(m.get("state"))).toList())));
                }))),
                post(() -> need(p, Role.OPERATOR, () -> body(RegisterRequest.class, r -> register(p, r)))))),
            path(PathMatchers.segment(), id -> get(() -> need(p, Role.VIEWER, () -> strategy(id)))),
            path(PathMatchers.segment().slash(PathMatchers.segment()), (id, action) ->
                post(() -> need(p, Role.OPERATOR, () -> body(ReasonRequest.class, r -> lifecycle(p, id, action, r))))))),
        pathPrefix("msc", () -> msc(p)),
        pathPrefix("sg", () -> pathPrefix("runs", () -> sg(p))),
        pathPrefix("rankings", () -> concat(
            pathEnd(() -> get(() -> need(p, Role.VIEWER, () -> parameterOptional("top", top ->
                json(ask(b.rankings(), (ActorRef<RankingAggregator.RankingView> rt) ->
                    new RankingAggregator.GetTop(intParam("top", top, 1, 10_000, 10), rt))))))),
            path(PathMatchers.segment(), symbol -> get(() -> need(p, Role.VIEWER, () -> symbolScore(symbol)))))),
        path("feed", () -> get(() -> need(p, Role.VIEWER, () -> json(ask(b.feed(), MarketFeed.GetStatus::new))))),
        path("portfolio", () -> get(() -> need(p, Role.VIEWER, () -> json(ask(b.broker(), PaperBroker.GetPortfolio::new))))),
        path("positions", () -> get(() -> need(p, Role.VIEWER, () ->
            json(ask(b.broker(), PaperBroker.GetPortfolio::new).thenApply(PaperBroker.PortfolioView::positions))))),
        path("orders", () -> get(() -> need(p, Role.VIEWER, () ->
            json(ask(b.broker(), PaperBroker.GetPortfolio::new).thenApply(PaperBroker.PortfolioView::workingOrders))))),
        path("trades", () -> get(() -> need(p, Role.VIEWER, this::trades))),
        pathPrefix("analytics", () -> concat(
            pathEnd(() -> get(() -> need(p, Role.VIEWER, () -> parameterOptional("strategy", s -> json(report(s.orElse(null))
                .thenApply(r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("initialCapital", r.initialCapital());
                  m.put("overall", r.overall());
                  m.put("strategies", r.strategies());
                  m.put("eventCounts", r.eventCounts());
                  m.put("equityPoints", r.equityCurve().size());
                  return m;
                })))))),
            path("equity", () -> get(() -> need(p, Role.VIEWER, () -> parameterOptional("strategy", s ->
                json(report(s.orElse(null)).thenApply(r -> s.isPresent()
                    ? Map.of("strategy", s.get(), "curve", r.strategyCurves().getOrDefault(s.get(), List.of()))
                    : Map.of("curve", r.equityCurve()))))))))),
        path("events", () -> get(() -> need(p, Role.VIEWER, this::events))),
        path("health", () -> get(() -> need(p, Role.VIEWER, () -> json(ask(b.health(), HealthMonitor.GetHealth::new))))));
  }

  private Route policy(Tokens.Principal p) {
    return concat(
        pathEnd(() -> get(() -> need(p, Role.VIEWER, () -> json(ask(b.policyStore(), PolicyStore.Get::new))))),
        path("history", () -> get(() -> need(p, Role.VIEWER, () -> parameterOptional("limit", limit ->
            parameterOptional("before", before -> {
              int n = intParam("limit", limit, 1, MAX_PAGE, 50);
              Long bv = before.isEmpty() ? null : longParam("before", before.get(), 1, Long.MAX_VALUE);
              return json(journalRead(new PolicyHistory(b.system()).page(new PolicyHistory.Query(bv, null, null, n))));
            }))))),
        path("risk-mode", () -> put(() -> need(p, Role.OPERATOR, () -> body(RiskModeRequest.class, r -> {
          RiskMode mode = mode(r.mode());
          return policyWrite(rt -> new PolicyStore.SetRiskMode(mode, change(p, r.reason(), r.expectedVersion()), rt));
        })))),
        path("limits", () -> put(() -> need(p, Role.OPERATOR, () -> body(LimitsRequest.class, r -> {
          if (r.minConfidence() == null && r.maxRiskPerTrade() == null && r.maxOpenPositions() == null && r.maxGrossExposure() == null) {
            throw invalid("give at least one of minConfidence, maxRiskPerTrade, maxOpenPositions, maxGrossExposure");
          }
          return policyWrite(rt -> new PolicyStore.ChangeLimits(plusZero(r.minConfidence()), plusZero(r.maxRiskPerTrade()),
              r.maxOpenPositions(), plusZero(r.maxGrossExposure()), change(p, r.reason(), r.expectedVersion()), rt));
        })))),
        pathPrefix("strategies", () -> path(PathMatchers.segment().slash(PathMatchers.segment()), (id, action) ->
            post(() -> need(p, Role.OPERATOR, () -> body(ReasonRequest.class, r -> {
              if (!List.of("allow", "disallow", "block", "unblock").contains(action)) {
                throw notFound("no action " + action + " (allow, disallow, block, unblock)");
              }
              Change ch = change(p, r.reason(), r.expectedVersion());
              CompletionStage<Boolean> check = knownStrategy(id);
              if (action.equals("allow")) {
                // a RETIRED strategy never trades again: allowing it would only mislead
                check = check.thenCompose(known -> !known ? CompletableFuture.completedFuture(false) : retired(id).thenApply(gone -> {
                  if (gone) throw invalid("strategy " + id + " is RETIRED, for good: allowing it would not let it trade");
                  return true;
                }));
              }
              return onDone(check, known -> {
                if (!known) throw unknownStrategy(id);
                return switch (action) {
                  case "allow" -> policyWrite(rt -> new PolicyStore.AllowStrategy(id, ch, rt));
                  case "disallow" -> policyWrite(rt -> new PolicyStore.DisallowStrategy(id, ch, rt));
                  case "block" -> policyWrite(rt -> new PolicyStore.BlockStrategy(id, ch, rt));
                  default -> policyWrite(rt -> new PolicyStore.UnblockStrategy(id, ch, rt));
                };
              });
            }))))),
        pathPrefix("symbols", () -> path(PathMatchers.segment().slash(PathMatchers.segment()), (symbol, action) ->
            post(() -> need(p, Role.OPERATOR, () -> body(ReasonRequest.class, r -> {
              if (!action.equals("block") && !action.equals("unblock")) throw notFound("no action " + action + " (block, unblock)");
              Change ch = change(p, r.reason(), r.expectedVersion());
              return onDone(knownSymbol(symbol), known -> {
                if (!known) throw notFound("unknown symbol " + symbol + " (no bar of it has been scored)");
                return policyWrite(rt -> action.equals("block") ? new PolicyStore.BlockSymbol(symbol, ch, rt)
                    : new PolicyStore.UnblockSymbol(symbol, ch, rt));
              });
            }))))));
  }

  private Route msc(Tokens.Principal p) {
    return concat(
        pathEnd(() -> get(() -> need(p, Role.VIEWER, () -> json(ask(b.msc(), MetaStrategyController.GetStatus::new)
            .thenApply(s -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("mode", s.mode());
              m.put("since", s.since());
              m.put("regime", s.assessment());
              m.put("analysis", s.analysis());
              m.put("health", s.health());
              m.put("criticalToConfirmSince", s.criticalToConfirmSince());
              m.put("override", s.override());
              m.put("autoAdjust", s.autoAdjust());
              m.put("pendingWrite", s.pendingWrite());
              m.put("evaluations", s.evaluations());
              return m;
            }))))),
        path("decisions", () -> get(() -> need(p, Role.VIEWER, () -> parameterOptional("limit", limit ->
            json(decisions(intParam("limit", limit, 1, MAX_PAGE, 20))))))),
        path("override", () -> concat(
            put(() -> need(p, Role.OPERATOR, () -> body(OverrideRequest.class, r -> {
              RiskMode mode = mode(r.mode());
              String reason = reason(r.reason());
              Instant until;
              if ((r.expiresAt() == null) == (r.minutes() == null)) throw invalid("give exactly one of expiresAt and minutes");
              if (r.minutes() != null) {
                if (r.minutes() < 1 || r.minutes() > 60L * 24 * 90) throw invalid("minutes must be in [1, 129600] (90 days)");
                until = Instant.now().plus(Duration.ofMinutes(r.minutes()));
              } else {
                until = r.expiresAt();
                if (!until.isAfter(Instant.now())) throw invalid("expiresAt must be in the future");
                if (until.isAfter(Instant.now().plus(Duration.ofDays(90)))) throw invalid("expiresAt must be within 90 days");
              }
              return overrideReply(ask(b.msc(), rt -> new MetaStrategyController.SetOverride(mode, p.name(), reason, until, rt)));
            }))),
            delete(() -> need(p, Role.OPERATOR, () -> parameterOptional("reason", reason ->
                overrideReply(ask(b.msc(), rt -> new MetaStrategyController.ClearOverride(p.name(),
                    reason.map(r -> queryText("reason", r)).filter(r -> !r.isBlank()).map(ApiRoutes::reason).orElse("cleared by " + p.name()), rt))))))))); // optional: empty as absent
  }

  private Route sg(Tokens.Principal p) {
    return concat(
        pathEnd(() -> concat(
            get(() -> need(p, Role.VIEWER, () -> json(ask(b.generator(), com.quantumtrader.strategy.StrategyGenerator.ListRuns::new)
                .thenApply(com.quantumtrader.strategy.StrategyGenerator.Runs::runs)
                .thenApply(l -> Map.of("runs", l))))),
            post(() -> need(p, Role.OPERATOR, () -> body(RunRequest.class, r -> {
              com.quantumtrader.strategy.Template t = template(r.template());
              String data = b.marketData() == null ? null : b.marketData().toString();
              Integer population = size("population", r.population(), 2, com.quantumtrader.strategy.Evolver.MAX_POPULATION);
              Integer generations = size("generations", r.generations(), 1, com.quantumtrader.strategy.Evolver.MAX_GENERATIONS);
              return runReply(ask(b.generator(), (ActorRef<com.quantumtrader.strategy.StrategyGenerator.RunReply> rt) ->
                  new com.quantumtrader.strategy.StrategyGenerator.StartRun(t, data, r.symbol(), r.interval(), population, generations,
                      r.seed(), p.name(), rt)), StatusCodes.ACCEPTED);
            }))))),
        path(PathMatchers.segment(), run -> concat(
            get(() -> need(p, Role.VIEWER, () -> runReply(ask(b.generator(),
                (ActorRef<com.quantumtrader.strategy.StrategyGenerator.RunReply> rt) ->
                    new com.quantumtrader.strategy.StrategyGenerator.GetRun(run, rt)), StatusCodes.OK))),
            delete(() -> need(p, Role.OPERATOR, () -> runReply(ask(b.generator(),
                (ActorRef<com.quantumtrader.strategy.StrategyGenerator.RunReply> rt) ->
                    new com.quantumtrader.strategy.StrategyGenerator.CancelRun(run, p.name(), rt)), StatusCodes.OK))))));
  }

  private Route lifecycle(Tokens.Principal p, String id, String action, ReasonRequest r) {
    String why = reason(r.reason());
    if (r.expectedVersion() != null) throw invalid("expectedVersion applies to policy changes only");
    Function<ActorRef<com.quantumtrader.strategy.StrategyRegistry.Reply>, com.quantumtrader.strategy.StrategyRegistry.Command> msg =
        switch (action) {
          case "shadow" -> rt -> new com.quantumtrader.strategy.StrategyRegistry.StartShadow(id, p.name(), why, rt);
          case "promote" -> rt -> new com.quantumtrader.strategy.StrategyRegistry.Promote(id, p.name(), why, rt);
          case "demote" -> rt -> new com.quantumtrader.strategy.StrategyRegistry.Demote(id, p.name(), why, rt);
          case "retire" -> rt -> new com.quantumtrader.strategy.StrategyRegistry.Retire(id, p.name(), why, rt);
          default -> throw notFound("no action " + action + " (shadow, promote, demote, retire)");
        };
    return onDone(ask(b.strategies(), msg), reply -> {
      if (reply instanceof com.quantumtrader.strategy.StrategyRegistry.Accepted a) {
        // the entry as GET /strategies/{id} gives it, from the registry's answer (no evaluation yet in its new state)
        return entryOf(id, CompletableFuture.completedFuture(
            Optional.of(new com.quantumtrader.strategy.StrategyRegistry.Strategies(List.of(a.strategy())))));
      }
      var rej = (com.quantumtrader.strategy.StrategyRegistry.Rejected) reply;
      switch (rej.code()) {
        case NOT_FOUND -> throw unknownStrategy(id); // worded as GET /strategies/{id} words it
        case ILLEGAL_TRANSITION, ALREADY_REGISTERED -> throw new ApiException(StatusCodes.CONFLICT, "illegal_transition", rej.message());
        default -> throw invalid(rej.message());
      }
    });
  }

  /** A number as given, but 0 for -0.0 (JSON allows it; kept, it would show as "-0.0" in the policy and its history). */
  static Double plusZero(Double v) {
    return v != null && v == 0 ? Double.valueOf(0.0) : v;
  }

  /** POST /strategies: a new CANDIDATE by the operator, 201 with its entry; 409 when the id is taken. */
  private Route register(Tokens.Principal p, RegisterRequest r) {
    String why = reason(r.reason());
    if (r.expectedVersion() != null) throw invalid("expectedVersion applies to policy changes only");
    if (r.id() == null || r.id().isBlank()) throw invalid("id is required: the new strategy's id");
    com.quantumtrader.strategy.Template t = template(r.template());
    double[] v = t.defaults();
    if (r.params() != null) {
      for (Map.Entry<String, Double> e : r.params().entrySet()) {
        int i;
        try {
          i = t.indexOf(e.getKey());
        } catch (IllegalArgumentException ex) {
          throw invalid("params: " + templateName(t) + " has no parameter '" + e.getKey() + "'; it has "
              + t.params().stream().map(com.quantumtrader.strategy.Template.Param::name).toList());
        }
        // a wrong type is a 400, as for any field; JSON has no NaN or infinity, which Jackson would take from a string
        if (e.getValue() == null || !Double.isFinite(e.getValue())) {
          throw new ApiException(StatusCodes.BAD_REQUEST, "bad_json", "params." + e.getKey() + " must be a finite number, got "
              + (e.getValue() == null ? "null" : e.getValue()));
        }
        v[i] = plusZero(e.getValue());
      }
    }
    com.quantumtrader.strategy.StrategySpec spec;
    try {
      spec = new com.quantumtrader.strategy.StrategySpec(r.id(), t, v);
    } catch (IllegalArgumentException e) {
      throw invalid("params: " + e.getMessage().replace(t.name(), templateName(t)));
    }
    return onDone(ask(b.strategies(), (ActorRef<com.quantumtrader.strategy.StrategyRegistry.Reply> rt) ->
        new com.quantumtrader.strategy.StrategyRegistry.Register(spec, p.name(), null, why, rt)), reply -> {
      if (reply instanceof com.quantumtrader.strategy.StrategyRegistry.Accepted a) {
        return entryOf(spec.id(), CompletableFuture.completedFuture(
            Optional.of(new com.quantumtrader.strategy.StrategyRegistry.Strategies(List.of(a.strategy())))), StatusCodes.CREATED);
      }
      var rej = (com.quantumtrader.strategy.StrategyRegistry.Rejected) reply;
      if (rej.code() == com.quantumtrader.strategy.StrategyRegistry.RejectionCode.ALREADY_REGISTERED) {
        throw new ApiException(StatusCodes.CONFLICT, "already_registered", rej.message());
      }
      throw invalid(rej.message());
    });
  }

  private Route runReply(CompletionStage<com.quantumtrader.strategy.StrategyGenerator.RunReply> r, StatusCode ok) {
    return onDone(r, reply -> {
      if (reply instanceof com.quantumtrader.strategy.StrategyGenerator.RunStatus s) return complete(Json.response(ok, s));
      var refused = (com.quantumtrader.strategy.StrategyGenerator.RunRefused) reply;
      if (refused.code().equals("not_found")) throw notFound(refused.message());
      if (refused.code().equals("busy")) throw new ApiException(StatusCodes.CONFLICT, "busy", refused.message());
      throw invalid(refused.message());
    });
  }

  // ----- handlers

  private Route status() {
    CompletionStage<Map<String, Object>> s = optional(glance(b.policyStore(), PolicyStore.Get::new))
        .thenCombine(optional(glance(b.msc(), MetaStrategyController.GetStatus::new)), (pol, msc) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          var cluster = akka.cluster.typed.Cluster.get(b.system());
          m.put("node", cluster.selfMember().address().toString());
          m.put("memberStatus", cluster.selfMember().status().toString());
          int members = 0;
          for (var ignored : cluster.state().getMembers()) members++;
          m.put("members", members);
          m.put("policyVersion", pol.map(PolicyStore.PolicyView::version).orElse(null));
          m.put("riskMode", pol.map(v -> v.policy().riskMode()).orElse(null));
          m.put("regime", msc.map(x -> x.assessment() == null ? null : x.assessment().regime()).orElse(null));
          m.put("mscOverride", msc.map(MetaStrategyController.Status::override).orElse(null));
          List<String> silent = new ArrayList<>();
          if (b.policyStore() != null && pol.isEmpty()) silent.add("policy-store");
          if (b.msc() != null && msc.isEmpty()) silent.add("meta-strategy-controller");
          m.put("unanswered", silent);
          return m;
        })
        .thenCombine(optional(glance(b.broker(), PaperBroker.GetPortfolio::new)), (m, pf) -> {
          m.put("equity", pf.map(PaperBroker.PortfolioView::equity).orElse(null));
          m.put("openPositions", pf.map(v -> v.positions().size()).orElse(null));
          m.put("realizedPnl", pf.map(PaperBroker.PortfolioView::realizedPnl).orElse(null));
          if (b.broker() != null && pf.isEmpty()) unanswered(m).add("paper-broker");
          return m;
        })
        .thenCombine(optional(glance(b.health(), HealthMonitor.GetHealth::new)), (m, h) -> {
          m.put("health", h.map(HealthMonitor.Health::status).orElse(null));
          m.put("healthReasons", h.map(HealthMonitor.Health::reasons).orElse(null));
          if (b.health() != null && h.isEmpty()) unanswered(m).add("health-monitor");
          return m;
        })
        .thenCombine(registryIfAny(Metrics.summaryWait(b.askTimeout())), (m, reg) -> {
          // what trades (LIVE) and how many strategies are in each state; null when the registry did not answer
          m.put("liveStrategies", reg.map(r -> r.strategies().stream()
              .filter(i -> i.state() == com.quantumtrader.strategy.StrategyRegistry.Lifecycle.LIVE)
              .map(com.quantumtrader.strategy.StrategyRegistry.StrategyInfo::id).toList()).orElse(null));
          m.put("strategiesByState", reg.map(r -> {
            Map<String, Integer> n = new LinkedHashMap<>();
            for (var l : com.quantumtrader.strategy.StrategyRegistry.Lifecycle.values()) n.put(l.name(), 0);
            r.strategies().forEach(i -> n.merge(i.state().name(), 1, Integer::sum));
            return n;
          }).orElse(null));
          if (b.strategies() != null && reg.isEmpty()) unanswered(m).add("strategy-registry");
          return m;
        })
        .thenCombine(optional(glance(b.feed(), MarketFeed.GetStatus::new)), (m, f) -> {
          m.put("feed", f.map(x -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("state", x.state());
            v.put("barsDelivered", x.barsDelivered());
            v.put("waitingSeconds", x.waitingSeconds());
            v.put("possibleBadTicks", x.possibleBadTicksTotal());
            return v;
          }).orElse(null));
          if (b.feed() != null && f.isEmpty()) unanswered(m).add("market-feed");
          return m;
        });
    return json(s);
  }

  /** The registry's list; empty without a registry, or when it did not answer. */
  private CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registryIfAny() {
    return registryIfAny(b.askTimeout());
  }

  private CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registryIfAny(java.time.Duration wait) {
    if (b.strategies() == null) return CompletableFuture.completedFuture(Optional.empty());
    return optional(listRegistry(wait));
  }

  /**
   * Every strategy instance the registry knows and the configured ones, with its lifecycle state,
   * history, backtest, shadow and live records, and what the policy says of it.
   */
  private CompletionStage<List<Map<String, Object>>> strategyEntries() {
    // with a registry, it must answer (503 otherwise): entries without their lifecycle state would mislead
    return strategyEntries(b.strategies() == null ? CompletableFuture.completedFuture(Optional.empty())
        : listRegistry().thenApply(Optional::of));
  }

  private CompletionStage<com.quantumtrader.strategy.StrategyRegistry.Strategies> listRegistry() {
    return listRegistry(b.askTimeout());
  }

  private CompletionStage<com.quantumtrader.strategy.StrategyRegistry.Strategies> listRegistry(java.time.Duration wait) {
    return ask(b.strategies(), (ActorRef<com.quantumtrader.strategy.StrategyRegistry.Strategies> rt) ->
        new com.quantumtrader.strategy.StrategyRegistry.ListStrategies(null, rt), wait);
  }

  /** The entries of {@link #strategyEntries()} from the registry's list (empty: no registry, or it did not answer). */
  private CompletionStage<List<Map<String, Object>>> strategyEntries(
      CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registry) {
    return registry.thenCombine(optional(ask(b.policyStore(), PolicyStore.Get::new)), (reg, pol) -> {
      List<Map<String, Object>> out = new ArrayList<>();
      java.util.Set<String> ids = new java.util.LinkedHashSet<>(b.strategyIds());
      Map<String, com.quantumtrader.strategy.StrategyRegistry.StrategyInfo> infos = new LinkedHashMap<>();
      reg.ifPresent(r -> r.strategies().forEach(i -> {
        infos.put(i.spec().id(), i);
        ids.add(i.spec().id());
      }));
      for (String id : ids) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        var info = infos.get(id);
        if (info != null) {
          m.put("template", info.spec().template());
          m.put("params", info.spec().params());
          m.put("paramsByName", paramsByName(info.spec().template(), info.spec().params()));
          m.put("state", info.state());
          m.put("origin", info.origin());
          m.put("history", info.history());
          m.put("backtest", info.backtest());
          m.put("shadow", info.shadow());
          m.put("live", info.live());
          m.put("evaluation", reg.get().assessments().get(id));
        }
        m.put("permitted", pol.map(v -> v.policy().permits(id)).orElse(null));
        m.put("blocked", pol.map(v -> v.policy().blockedStrategies().contains(id)).orElse(null));
        out.add(m);
      }
      return out;
    });
  }

  /**
   * The parameters under the template's names, in its order; whole-number ones (periods) as
   * integers: {@code {"fast": 12, "slow": 26, "atrPeriod": 14, "stopAtr": 2.0, "takeProfitAtr": 0.0}}.
   */
  static Map<String, Object> paramsByName(com.quantumtrader.strategy.Template t, double[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<com.quantumtrader.strategy.Template.Param> names = t.params();
    for (int i = 0; i < values.length && i < names.size(); i++) {
      var p = names.get(i);
      m.put(p.name(), p.integer() && values[i] == Math.rint(values[i]) ? (Object) (long) values[i] : (Object) values[i]);
    }
    return m;
  }

  /**
   * Whether {@code id} names a strategy instance: a configured one, or one the registry knows (an SG
   * AI candidate, say, which an operator may block before it is promoted, and whose trades are
   * filtered by its id once it is LIVE). A registry that does not answer fails the request (503).
   */
  private CompletionStage<Boolean> knownStrategy(String id) {
    if (b.strategyIds().contains(id)) return CompletableFuture.completedFuture(true);
    if (b.strategies() == null) return CompletableFuture.completedFuture(false); // no registry: the configured ids are all
    return ask(b.strategies(), (ActorRef<com.quantumtrader.strategy.StrategyRegistry.Strategies> rt) ->
        new com.quantumtrader.strategy.StrategyRegistry.ListStrategies(null, rt))
        .thenApply(r -> r.strategies().stream().anyMatch(i -> i.id().equals(id)));
  }

  /** Whether the registry holds {@code id} as RETIRED; false without a registry or when it does not answer (nothing to refuse on). */
  private CompletionStage<Boolean> retired(String id) {
    return registryIfAny().thenApply(reg -> reg.map(r -> r.strategies().stream()
        .anyMatch(i -> i.id().equals(id) && i.state() == com.quantumtrader.strategy.StrategyRegistry.Lifecycle.RETIRED)).orElse(false));
  }

  private static ApiException unknownStrategy(String id) {
    return notFound("no strategy instance " + id + " (GET /api/v1/strategies lists them)");
  }

  /**
   * One entry of {@link #strategyEntries()}. With a registry, it is asked once and must answer (503
   * otherwise, configured ids included: an entry without its lifecycle state would mislead); without
   * one, the configured ids are all there is.
   */
  private Route strategy(String id) {
    CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registry =
        b.strategies() == null ? CompletableFuture.completedFuture(Optional.empty()) : listRegistry().thenApply(Optional::of);
    return entryOf(id, registry);
  }

  private Route entryOf(String id, CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registry) {
    return entryOf(id, registry, StatusCodes.OK);
  }

  private Route entryOf(String id, CompletionStage<Optional<com.quantumtrader.strategy.StrategyRegistry.Strategies>> registry, StatusCode status) {
    return onDone(strategyEntries(registry), all -> {
      for (Map<String, Object> m : all) if (m.get("id").equals(id)) return complete(Json.response(status, m));
      throw unknownStrategy(id);
    });
  }

  private Route symbolScore(String symbol) {
    return onDone(ask(b.rankings(), (ActorRef<RankingAggregator.SymbolScoreReply> rt) ->
        new RankingAggregator.GetSymbolScore(symbol, rt)), r -> {
      if (r.score() == null) throw notFound("unknown symbol " + symbol + " (no bar of it has been scored)");
      return complete(Json.response(StatusCodes.OK, r));
    });
  }

  private CompletionStage<Boolean> knownSymbol(String symbol) {
    return ask(b.rankings(), (ActorRef<RankingAggregator.SymbolScoreReply> rt) -> new RankingAggregator.GetSymbolScore(symbol, rt))
        .thenApply(r -> r.score() != null);
  }

  private Route trades() {
    return parameterOptional("strategy", strategy -> parameterOptional("symbol", symbol -> parameterOptional("limit", limit ->
        parameterOptional("offset", offset -> {
          int n = intParam("limit", limit, 1, MAX_PAGE, 50);
          int off = intParam("offset", offset, 0, Integer.MAX_VALUE, 0);
          CompletionStage<AnalyticsProjection.TradesReply> reply = (strategy.isEmpty() ? CompletableFuture.completedFuture(true)
              : knownStrategy(strategy.get())).thenCompose(known -> {
                if (!known) throw unknownStrategy(strategy.get());
                return ask(b.analytics(), (ActorRef<AnalyticsProjection.TradesReply> rt) ->
                    new AnalyticsProjection.GetTrades(strategy.orElse(null), symbol.orElse(null), off, n, rt));
              })
              // no trade of a symbol the market does not have (a typo): 404, as for a strategy, not an empty page
              .thenCompose(r -> symbol.isEmpty() || r.error() != null || r.total() > 0 ? CompletableFuture.completedFuture(r)
                  : knownSymbol(symbol.get()).thenApply(known -> {
                    if (!known) throw notFound("unknown symbol " + symbol.get() + " (no bar of it has been scored, and it has no trade)");
                    return r;
                  }));
          return onDone(reply,
              r -> {
                if (r.error() != null) throw new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", r.error());
                return complete(Json.response(StatusCodes.OK, Map.of("trades", r.trades(), "total", r.total(), "offset", off,
                    "limit", n)));
              });
        }))));
  }

  private CompletionStage<com.quantumtrader.analytics.AnalyticsReport> report(String strategy) {
    return (strategy == null ? CompletableFuture.completedFuture(true) : knownStrategy(strategy)).thenCompose(known -> {
          if (!known) throw unknownStrategy(strategy);
          return ask(b.analytics(), (ActorRef<AnalyticsProjection.ReportReply> rt) -> new AnalyticsProjection.GetReport(strategy, rt));
        })
        .thenApply(r -> {
          if (r.error() != null) throw new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", r.error());
          return r.report();
        });
  }

  private CompletionStage<Object> decisions(int limit) {
    return ask(b.msc(), MetaStrategyController.GetStatus::new).thenCompose(s -> {
      long from = Math.max(0, s.journalSequenceNr() - 4L * limit);
      var journal = akka.persistence.query.PersistenceQuery.get(akka.actor.typed.javadsl.Adapter.toClassic(b.system()))
          .getReadJournalFor(akka.persistence.jdbc.query.javadsl.JdbcReadJournal.class,
              akka.persistence.jdbc.query.javadsl.JdbcReadJournal.Identifier());
      return journalRead(journal.currentEventsByPersistenceId(MetaStrategyController.PERSISTENCE_ID, from, Long.MAX_VALUE)
          .filter(e -> e.event() instanceof MetaStrategyController.Evaluated ev && ev.changed() || !(e.event() instanceof MetaStrategyController.Evaluated))
          .runWith(akka.stream.javadsl.Sink.seq(), b.system()))
          .thenCombine(journalRead(journal.currentEventsByPersistenceId(MetaStrategyController.PERSISTENCE_ID,
              Math.max(0, s.journalSequenceNr() - limit + 1), Long.MAX_VALUE).runWith(akka.stream.javadsl.Sink.seq(), b.system())),
              (changes, latest) -> {
                List<Object> out = new ArrayList<>();
                for (int i = latest.size() - 1; i >= 0; i--) {
                  var e = latest.get(i);
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("sequenceNr", e.sequenceNr());
                  m.put("type", e.event().getClass().getSimpleName());
                  m.put("event", e.event());
                  out.add(m);
                }
                return (Object) Map.of("decisions", out, "total", s.journalSequenceNr());
              });
    });
  }

  private Route overrideReply(CompletionStage<MetaStrategyController.OverrideReply> r) {
    return onDone(r, reply -> {
      if (reply instanceof MetaStrategyController.OverrideAccepted a) return complete(Json.response(StatusCodes.OK, a.override()));
      String why = ((MetaStrategyController.OverrideRefused) reply).reason();
      if (why.startsWith("no override is set")) throw notFound(why);
      throw invalid(why);
    });
  }

  private Route policyWrite(Function<ActorRef<PolicyStore.Reply>, PolicyStore.Command> msg) {
    return onDone(ask(b.policyStore(), msg), r -> {
      if (r instanceof PolicyStore.Accepted a) {
        return complete(Json.response(StatusCodes.OK, Map.of("changed", a.changed(), "policy", a.policy())));
      }
      PolicyStore.Rejected rej = (PolicyStore.Rejected) r;
      if (rej.code() == PolicyStore.RejectionCode.VERSION_CONFLICT) {
        return complete(Json.response(StatusCodes.CONFLICT, Map.of("code", "version_conflict", "message", rej.message(),
            "currentVersion", rej.currentVersion())));
      }
      throw invalid(rej.message());
    });
  }

  private Route events() {
    return parameterOptional("types", typesParam -> {
      Set<EventType> types = java.util.EnumSet.allOf(EventType.class);
      if (typesParam.isPresent() && !typesParam.get().isBlank()) {
        java.util.EnumSet<EventType> chosen = java.util.EnumSet.noneOf(EventType.class);
        for (String t : typesParam.get().split(",", -1)) {
          if (t.isBlank()) throw badRequest("types: an empty event type (two commas in a row, or one at an end)");
          EventType et = EventType.parse(t).orElseThrow(() -> badRequest("unknown event type " + t.trim() + " (known: "
              + java.util.Arrays.stream(EventType.values()).map(EventType::key).toList() + ")"));
          chosen.add(et);
        }
        types = chosen;
      }
      final Set<EventType> wanted = types;
      Source<ServerSentEvent, akka.NotUsed> source = Source.<EventEnvelope>queue(1000, OverflowStrategy.dropHead())
          .mapMaterializedValue(queue -> {
            // One bus subscriber per connection; it stops (ending its subscription) when the client goes.
            ActorRef<Object> subscriber = b.system().systemActorOf(akka.actor.typed.javadsl.Behaviors.receiveMessage(m -> {
              if (m instanceof Delivery d) {
                queue.offer(d.event());
                d.ack();
                return akka.actor.typed.javadsl.Behaviors.same();
              }
              return akka.actor.typed.javadsl.Behaviors.stopped();
            }), "api-events-" + java.util.UUID.randomUUID(), akka.actor.typed.Props.empty());
            EventBus.get(b.system()).subscribe("api-sse", wanted, subscriber.narrow());
            queue.watchCompletion().whenComplete((d, err) -> subscriber.tell("client gone"));
            return akka.NotUsed.getInstance();
          })
          .map(e -> ServerSentEvent.create(Json.toJson(e), e.type().key(), e.eventId()))
          .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
      return completeOK(source, EventStreamMarshalling.toEventStream());
    });
  }

  // ----- building blocks

  /** 401 without a valid bearer token. */
  private Route authenticated(Function<Tokens.Principal, Route> inner) {
    return oneAuthorization(this, () -> authenticatedOnce(inner));
  }

  /**
   * A 400 for a request with more than one Authorization header: which of two tokens acts would be a
   * guess (the first did: viewer then operator was refused, the other way round allowed). Both ports.
   */
  static Route oneAuthorization(AllDirectives d, Supplier<Route> inner) {
    return d.extractRequest(req -> {
      long given = java.util.stream.StreamSupport.stream(req.getHeaders().spliterator(), false)
          .filter(h -> h.lowercaseName().equals("authorization")).count();
      if (given > 1) {
        return d.complete(Json.error(StatusCodes.BAD_REQUEST, "bad_request", "the request has " + given + " Authorization headers; send one"));
      }
      return inner.get();
    });
  }

  private Route authenticatedOnce(Function<Tokens.Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<Tokens.Principal> p = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
          .flatMap(h -> tokens.authenticate(h.substring(7).trim()));
      if (p.isEmpty()) {
        return complete(Json.error(StatusCodes.UNAUTHORIZED, "unauthorized",
                header.isEmpty() ? "a bearer token is required (Authorization: Bearer <token>)" : "the token is not valid")
            .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "quantum-trader"))));
      }
      return inner.apply(p.get());
    });
  }

  /** 403 when the token's role does not cover {@code role}. */
  static Route need(AllDirectives d, Tokens.Principal p, Role role, Supplier<Route> inner) {
    if (!p.role().covers(role)) {
      return d.complete(Json.error(StatusCodes.FORBIDDEN, "forbidden",
          "token " + p.name() + " has role " + p.role().name().toLowerCase(Locale.ROOT) + "; this needs "
              + role.name().toLowerCase(Locale.ROOT)));
    }
    return inner.get();
  }

  /**
   * {@link #need(AllDirectives, Tokens.Principal, Role, Supplier)} for a route of /api/v1, matched by
   * path and method: then a query parameter it does not take is a 400 naming those it takes ({@code
   * GET /sg/runs?limit=5} answered every run, and a script would take that for the page it asked for).
   */
  private Route need(Tokens.Principal p, Role role, Supplier<Route> inner) {
    return need(this, p, role, () -> extractRequest(req -> {
      String method = req.method().name().equals("HEAD") ? "GET" : req.method().name();
      List<String> takes = QUERY_PARAMETERS.getOrDefault(method + " " + req.getUri().path(), List.of());
      if ((method.equals("GET") || method.equals("DELETE")) && !req.entity().isKnownEmpty()) {
        // a DELETE's body was ignored, and the request carried out (the reason in it lost)
        throw badRequest(method + " " + req.getUri().path() + " takes no body" + (takes.contains("reason") ? "; give the reason as"
            + " ?reason=..." : ""));
      }
      for (Map.Entry<String, List<String>> e : req.getUri().query().toMultiMap().entrySet()) {
        if (e.getKey().isEmpty() && e.getValue().stream().allMatch(String::isEmpty)) continue; // a stray '&'
        if (!takes.contains(e.getKey())) {
          throw badRequest("query parameter " + e.getKey() + " is not one " + method + " " + req.getUri().path() + " takes ("
              + (takes.isEmpty() ? "it takes none" : String.join(", ", takes)) + ")");
        }
        if (!e.getKey().equals("reason") && e.getValue().stream().anyMatch(String::isBlank)) {
          // ?strategy= was a 404 for a blank id, ?types= every type: a value left out by a script is said so (an empty reason is as none)
          throw badRequest("query parameter " + e.getKey() + " is empty");
        }
      }
      return inner.get();
    }));
  }

  /**
   * Parses the JSON body strictly into {@code type}: 400 {@code bad_json} on any JSON problem, saying
   * which field, what it must be and what was sent ({@link Json#describe}).
   */
  private <T> Route body(Class<T> type, Function<T, Route> inner) {
    return extractRequestEntity(e -> {
      akka.http.javadsl.model.MediaType m = e.getContentType().mediaType();
      // JSON, or no Content-Type at all (Akka HTTP reads a body without one as octet-stream, and an empty
      // one as none: "the body is empty" then); a form or text is refused rather than read as JSON (curl -d
      // sends a form unless told otherwise)
      boolean json = m.equals(akka.http.javadsl.model.MediaTypes.APPLICATION_JSON) || m.subType().endsWith("+json")
          || m.equals(akka.http.javadsl.model.MediaTypes.APPLICATION_OCTET_STREAM)
          || e.getContentType().equals(akka.http.javadsl.model.ContentTypes.NO_CONTENT_TYPE);
      return encoded(() -> {
        if (!json) {
          throw new ApiException(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
              "the body must be JSON, sent as Content-Type: application/json; got " + m);
        }
        return parsed(type, inner);
      });
    });
  }

  /** A body in an encoding (gzip, ...) is refused: it was read as plain JSON, and a plain body labelled gzip was applied. */
  private Route encoded(Supplier<Route> inner) {
    return optionalHeaderValueByName("Content-Encoding", enc -> {
      if (enc.isPresent() && !enc.get().isBlank() && !enc.get().trim().equalsIgnoreCase("identity")) {
        throw new ApiException(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
            "the body must be sent without a Content-Encoding (plain JSON); got Content-Encoding: " + enc.get().trim());
      }
      return inner.get();
    });
  }

  private <T> Route parsed(Class<T> type, Function<T, Route> inner) {
    return entity(Unmarshaller.entityToByteString(), bytes -> {
      byte[] raw = bytes.toArray();
      T value;
      try {
        value = Json.MAPPER.readValue(raw, type);
      } catch (JsonProcessingException e) {
        throw new ApiException(StatusCodes.BAD_REQUEST, "bad_json", Json.describe(e, raw));
      } catch (java.io.IOException e) {
        throw badRequest("the body could not be read");
      }
      if (value == null) throw new ApiException(StatusCodes.BAD_REQUEST, "bad_json", "the body must be a JSON object, got null");
      return inner.apply(value);
    });
  }

  private static Change change(Tokens.Principal p, String reason, Long expectedVersion) {
    String r = reason(reason);
    if (expectedVersion != null && expectedVersion < 0) throw invalid("expectedVersion must be >= 0");
    Change c = Change.by(p.name(), r);
    return expectedVersion == null ? c : c.expecting(expectedVersion);
  }

  /** A text query parameter, as a body's strings are checked ({@link Json#notText}): no control character, no lone surrogate. */
  private static String queryText(String name, String value) {
    String problem = Json.notText(value);
    if (problem != null) throw badRequest("query parameter " + name + ": " + problem);
    return value;
  }

  static String reason(String reason) {
    if (reason == null || reason.isBlank()) throw invalid("a reason is required");
    if (Change.characters(reason) > Change.MAX_REASON_LENGTH) throw invalid("reason longer than " + Change.MAX_REASON_LENGTH + " characters");
    return reason.trim();
  }

  private static RiskMode mode(String raw) {
    if (raw == null) throw invalid("mode is required (AGGRESSIVE, NORMAL or DEFENSIVE)");
    try {
      return RiskMode.valueOf(raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("mode must be AGGRESSIVE, NORMAL or DEFENSIVE, got " + raw);
    }
  }

  /**
   * A template by the CLI's name ({@code trend-ema-cross}) or the enum's ({@code TREND_EMA_CROSS}),
   * in any case; 422 otherwise, listing the names as the CLI and the docs write them.
   */
  static com.quantumtrader.strategy.Template template(String raw) {
    if (raw == null) throw invalid("template is required: one of " + templateNames());
    String key = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (var t : com.quantumtrader.strategy.Template.values()) if (t.name().equals(key)) return t;
    throw invalid("template must be one of " + templateNames() + ", got '" + raw + "'");
  }

  /** A run's size as given, or null; 422 outside {@code [min, max]} (the generator's own message). */
  static Integer size(String field, Long v, int min, int max) {
    if (v == null) return null;
    if (v < min || v > max) throw invalid(field + " must be from " + min + " to " + max + ", got " + v);
    return v.intValue();
  }

  /** The template's name as the CLI and the docs write it: {@code trend-ema-cross}. */
  static String templateName(com.quantumtrader.strategy.Template t) {
    return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String templateNames() {
    return String.join(", ", java.util.Arrays.stream(com.quantumtrader.strategy.Template.values()).map(ApiRoutes::templateName).toList());
  }

  /** The {@code state} query parameter: a lifecycle state in any case. */
  static com.quantumtrader.strategy.StrategyRegistry.Lifecycle lifecycle(String raw) {
    for (var l : com.quantumtrader.strategy.StrategyRegistry.Lifecycle.values()) {
      if (l.name().equalsIgnoreCase(raw.trim())) return l;
    }
    throw badRequest("query parameter state must be one of " + java.util.Arrays.toString(
        com.quantumtrader.strategy.StrategyRegistry.Lifecycle.values()) + ", got '" + raw + "'");
  }

  static int intParam(String name, Optional<String> raw, int min, int max, int dflt) {
    if (raw.isEmpty()) return dflt;
    return (int) longParam(name, raw.get(), min, max);
  }

  static long longParam(String name, String raw, long min, long max) {
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw badRequest("query parameter " + name + " must be a whole number, got '" + raw + "'");
    }
    if (v < min || v > max) throw badRequest("query parameter " + name + " must be in [" + min + ", " + max + "], got " + v);
    return v;
  }

  /** Asks a component; 503 when it is disabled on this cluster or does not answer in time. */
  private <Q, R> CompletionStage<R> ask(RecipientRef<Q> to, Function<ActorRef<R>, Q> msg) {
    return ask(to, msg, b.askTimeout());
  }

  /**
   * Asks a component for the status summary: waits {@link Metrics#summaryWait at most 2 s}, so that
   * a component restarting during an outage does not hold an operator's {@code status} for the whole
   * ask timeout.
   */
  private <Q, R> CompletionStage<R> glance(RecipientRef<Q> to, Function<ActorRef<R>, Q> msg) {
    return ask(to, msg, Metrics.summaryWait(b.askTimeout()));
  }

  private <Q, R> CompletionStage<R> ask(RecipientRef<Q> to, Function<ActorRef<R>, Q> msg, java.time.Duration timeout) {
    if (to == null) {
      return CompletableFuture.failedFuture(new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
          "that component is not enabled on this node's cluster"));
    }
    return Futures.on(AskPattern.ask(to, msg::apply, timeout, b.system().scheduler()), ec);
  }

  /**
   * A query of the journal database (a history page): at most the ask timeout, so that an outage
   * gets the API's JSON 503 before Akka HTTP's own plain-text one (after 20 s); its failure is a 503
   * naming the database, through {@link #unwrap}.
   */
  private <T> CompletionStage<T> journalRead(CompletionStage<T> query) {
    return Futures.on(query.toCompletableFuture().orTimeout(b.askTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (c instanceof TimeoutException) throw new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", JOURNAL_SLOW);
          throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        }), ec);
  }

  private static final String JOURNAL_SLOW = "the journal database did not answer in time (is it reachable? GET /api/v1/health says"
      + " how its probes go); try again shortly";

  /** The status summary's list of the enabled components that did not answer in time. */
  @SuppressWarnings("unchecked")
  private static List<String> unanswered(Map<String, Object> status) {
    return (List<String>) status.get("unanswered");
  }

  /** The answer, or empty when the component is disabled or silent (for summaries). */
  private static <T> CompletionStage<Optional<T>> optional(CompletionStage<T> s) {
    return s.handle((v, err) -> err == null ? Optional.ofNullable(v) : Optional.empty());
  }

  private Route json(CompletionStage<?> s) {
    return onDone(s, v -> complete(Json.response(StatusCodes.OK, v)));
  }

  /** Completes with {@code inner}'s route once {@code s} is done; a failure goes to the exception handler. */
  private <T> Route onDone(CompletionStage<T> s, Function<T, Route> inner) {
    return onComplete(s, t -> {
      if (t.isSuccess()) return inner.apply(t.get());
      throw unwrap(t.failed().get());
    });
  }

  private static RuntimeException unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) return a;
    Optional<EntityStreamSizeException> size = sizeExceeded(t);
    if (size.isPresent()) return new ApiException(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", tooLargeMessage(size.get()));
    if (t instanceof TimeoutException || t instanceof akka.pattern.AskTimeoutException) {
      return new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", TIMED_OUT);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      // the journal database went away (down, restarting, out of connections): not a bug of the node's;
      // any other SQL error stays one (a 500, its statement in the log only, not in the answer)
      if (c instanceof java.sql.SQLException q && connectionLost(q)) {
        return new ApiException(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "the journal database could not be read ("
            + com.quantumtrader.common.ConfigReader.oneLine(q) + "); try again shortly");
      }
    }
    return t instanceof RuntimeException r ? r : new RuntimeException(t);
  }

  /**
   * Whether a failed query means the database is out of reach (SQLState class 08, PostgreSQL's
   * shutdown states 57P01-57P03, H2's closed or broken connection, the pool's timeout), not that the
   * query itself is wrong.
   */
  static boolean connectionLost(java.sql.SQLException q) {
    String state = q.getSQLState() == null ? "" : q.getSQLState();
    return q instanceof java.sql.SQLTransientConnectionException || q instanceof java.sql.SQLNonTransientConnectionException
        || state.startsWith("08") || state.startsWith("57P0") || state.equals("90067") || state.equals("90098") || state.equals("90121");
  }

  /** The message of a component's answer that did not come in time; worded by the request's method. */
  private static final String TIMED_OUT = "the component did not answer in time";

  private Route error(ApiException a) {
    if (!TIMED_OUT.equals(a.getMessage())) return complete(Json.error(a.status, a.code, a.getMessage()));
    // what this node's health monitor says of the journal, when it says something (it answers within
    // milliseconds while a component restarts on a database outage): the likely cause, in the answer
    CompletionStage<String> journal = b.health() == null ? CompletableFuture.completedFuture("")
        : optional(ask(b.health(), HealthMonitor.GetHealth::new, java.time.Duration.ofMillis(500))).thenApply(h -> h
            .map(x -> x.reasons().stream().filter(r -> r.startsWith("journal:")).findFirst().map(r -> "; the health monitor says " + r)
                .orElse(""))
            .orElse(""));
    return extractMethod(m -> onSuccess(journal, cause -> complete(Json.error(a.status, a.code, TIMED_OUT + " (it may be restarting,"
        + " e.g. while the database is unreachable" + cause + "); "
        + (m.equals(akka.http.javadsl.model.HttpMethods.GET) || m.equals(akka.http.javadsl.model.HttpMethods.HEAD)
            ? "try again shortly"
            : "the change is not confirmed and may still be made once it recovers: look before asking again")))));
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(ApiException.class, this::error)
        .match(Throwable.class, e -> {
          RuntimeException u = unwrap(e);
          if (u instanceof ApiException a) return error(a);
          b.system().log().error("api: unexpected failure", e);
          return complete(Json.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal", "an unexpected error; it is in the node's log"));
        })
        .build();
  }

  /**
   * Akka HTTP's rejections (404, 405, 400 for bad parameters...) as JSON bodies. A body above the
   * limit is 413 {@code too_large}, saying the limit and the setting that raises it: {@code
   * withSizeLimit} fails the entity stream with {@code EntityStreamSizeException}, which the {@code
   * entity} directive turns into a "malformed content" rejection (the default handler answers 413
   * too, but calls the body malformed and names Akka's own setting, which this limit overrides).
   */
  static RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> {
          HttpResponse answer = sizeExceeded(r.getCause())
              .map(e -> Json.error(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", tooLargeMessage(e)))
              .orElseGet(() -> Json.error(StatusCodes.BAD_REQUEST, "bad_request", "the request body could not be read: "
                  + (r.message() == null ? "" : r.message().lines().findFirst().orElse(""))));
          // As the default handler does: drain what is left of the body, so that the connection can be reused.
          return D.extractRequest(req -> D.extractMaterializer(mat -> {
            req.discardEntityBytes(mat);
            return D.complete(answer);
          }));
        })
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(resp -> {
          if (resp.entity().getContentType().mediaType().equals(akka.http.javadsl.model.MediaTypes.APPLICATION_JSON)) return resp;
          String text = resp.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict s ? s.getData().utf8String() : resp.status().reason();
          return Json.asError(resp, text);
        });
  }

  /** The size failure in {@code t}'s causes, if the body was above the limit. */
  static Optional<EntityStreamSizeException> sizeExceeded(Throwable t) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof EntityStreamSizeException e) return Optional.of(e);
    }
    return Optional.empty();
  }

  /** The limit in bytes and how to raise it (README: api.max-body-bytes / QT_API_MAX_BODY_BYTES). */
  static String tooLargeMessage(EntityStreamSizeException e) {
    String size = e.actualSize().isDefined() ? " (" + e.actualSize().get() + " bytes)" : "";
    return "the request body" + size + " is larger than this node accepts: " + e.limit()
        + " bytes at most; the node's QT_API_MAX_BODY_BYTES setting raises the limit";
  }

  /** Directives for the handlers built outside a route tree. */
  private static final class Directives extends AllDirectives {}

  private static final Directives D = new Directives();
}
