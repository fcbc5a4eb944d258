package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.quantumtrader.strategy.StrategyRegistry.Lifecycle;
import com.quantumtrader.strategy.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The strategy registry on a node: instances, their lifecycle and its history, and the operator's moves. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
    description = "Strategy instances with their lifecycle state and history; register one; shadow, promote, demote or retire one.",
    subcommands = {StrategiesCommand.ListCmd.class, StrategiesCommand.Show.class, StrategiesCommand.Register.class,
        StrategiesCommand.Move.Shadow.class,
        StrategiesCommand.Move.Promote.class, StrategiesCommand.Move.Demote.class, StrategiesCommand.Move.Retire.class})
public final class StrategiesCommand extends CommandGroup {

  /** A strategy's parameters by name, from its JSON ({@code template}, {@code params}). */
  static String params(JsonNode template, JsonNode params) {
    if (template == null || !template.isTextual() || params == null || !params.isArray()) return "-";
    double[] p = new double[params.size()];
    for (int i = 0; i < p.length; i++) p[i] = params.get(i).asDouble();
    try {
      return StrategyInputs.describe(Template.valueOf(template.asText()), p);
    } catch (IllegalArgumentException e) { // a template this client does not know
      return Table.text(params);
    }
  }

  /** The policy's word on a strategy. */
  static String policy(JsonNode s) {
    if (s.path("blocked").asBoolean(false)) return "blocked";
    JsonNode p = s.get("permitted");
    return p == null || p.isNull() ? "-" : p.asBoolean() ? "permitted" : "not allowed";
  }

  /**
   * What keeps a new strategy from ever being promoted, said when it is registered rather than found
   * later: a block, or an allow list that does not name it; null when the policy permits it.
   */
  static String policyHint(JsonNode s) {
    String id = Table.text(s.get("id"));
    return switch (policy(s)) {
      case "blocked" -> "the policy blocks it, so it is not promoted: policy unblock " + id + " --reason TEXT lifts the block"
          + " (policy show: an allow list may leave it out too)";
      case "not allowed" -> "the policy's allow list does not name it, so it is not promoted: policy allow " + id + " --reason TEXT";
      default -> null;
    };
  }

  static JsonNode lastMove(JsonNode s) {
    JsonNode h = s.path("history");
    return h.isArray() && !h.isEmpty() ? h.get(h.size() - 1) : null;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every strategy instance: state, origin, policy, parameters.")
  static final class ListCmd extends NodeCommand {
    @Option(names = "--state", paramLabel = "STATE",
        description = "Only those in this state: CANDIDATE, SHADOW, LIVE, DEMOTED or RETIRED (any case).")
    String state;

    @Override
    void run() throws CliException {
      if (state != null) {
        // checked before asking the node: a misspelt state would otherwise read as "none in that state"
        String s = state.trim().toUpperCase(Locale.ROOT);
        if (Arrays.stream(Lifecycle.values()).noneMatch(l -> l.name().equals(s))) {
          throw new ParameterException(spec.commandLine(), "--state: unknown state " + state + "; one of "
              + Arrays.toString(Lifecycle.values()));
        }
      }
      JsonNode r = fetch(api(), "/api/v1/strategies");
      if (r == null) return;
      Table t = new Table("ID", "STATE", "SINCE", "TEMPLATE", "ORIGIN", "POLICY", "PARAMS");
      for (JsonNode s : r.path("strategies")) {
        if (state != null && !Table.text(s.get("state")).equalsIgnoreCase(state.trim())) continue;
        JsonNode last = lastMove(s);
        t.row(Table.text(s.get("id")), Table.text(s.get("state")), last == null ? "-" : Table.time(last.get("at")),
            Table.text(s.get("template")), Table.text(s.get("origin")), policy(s), params(s.get("template"), s.get("params")));
      }
      if (t.isEmpty()) {
        out().println(state == null ? "no strategies" : "no " + state.trim().toUpperCase(Locale.ROOT) + " strategies");
        return;
      }
      t.print(out());
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One strategy: state, parameters, backtest, shadow and live figures, and its history.")
  static final class Show extends NodeCommand {
    @Parameters(paramLabel = "ID", description = "The strategy instance id (strategies list).")
    String id;

    @Override
    void run() throws CliException {
      JsonNode found = api().get("/api/v1/strategies/" + NodeClient.encode(id)).json();
      if (json()) {
        out().println(found);
        return;
      }
      JsonNode bt = found.path("backtest");
      Table.keyValues(out(),
          "id", Table.text(found.get("id")),
          "state", Table.text(found.get("state")),
          "template", Table.text(found.get("template")),
          "params", params(found.get("template"), found.get("params")),
          "origin", Table.text(found.get("origin")),
          "policy", policy(found),
          "in sample", record(bt.get("inSample")),
          "out of sample", record(bt.get("outOfSample")),
          "shadow book", record(found.get("shadow")),
          "live", record(found.get("live")),
          "evaluation", evaluation(found.get("evaluation")));
      Table h = new Table("AT", "FROM", "TO", "BY", "WHY");
      for (JsonNode m : found.path("history")) {
        h.row(Table.time(m.get("at")), Table.text(m.get("from")), Table.text(m.get("to")), Table.text(m.get("by")), Table.text(m.get("reason")));
      }
      if (!h.isEmpty()) {
        out().println();
        h.print(out());
      }
    }

    /**
     * What the registry's latest evaluation said: {@code STAY at 2026-11-26 10:00:00 (policy v3): shadow
     * trades 3 not >= 30; ...}; "-" before the first evaluation of its state.
     */
    static String evaluation(JsonNode e) {
      if (e == null || !e.isObject()) return "-";
      StringBuilder b = new StringBuilder(Table.text(e.get("action"))).append(" at ").append(Table.time(e.get("at")));
      long v = e.path("policyVersion").asLong(-1);
      b.append(v < 0 ? " (no policy known)" : " (policy v" + v + ")");
      List<String> why = new ArrayList<>();
      for (JsonNode r : e.path("reasons")) why.add(r.asText());
      if (!why.isEmpty()) b.append(": ").append(String.join("; ", why));
      return b.toString();
    }

    /** A track record's figures on one line. */
    static String record(JsonNode r) {
      if (r == null || !r.isObject()) return "-";
      return Table.text(r.get("trades")) + " trades over " + Table.num(r.get("days"), 1) + " days, return "
          + Table.percent(r.get("totalReturn")) + ", Sharpe "
          + Table.num(r.get("sharpe"), 2) + ", max drawdown " + Table.percent(r.get("maxDrawdown")) + ", profit factor "
          + profitFactor(r);
    }

    /** As the backtest report says it: n/a when no trade closed, or none lost (the API's "NaN"). */
    static String profitFactor(JsonNode r) {
      JsonNode pf = r.get("profitFactor");
      if (r.path("trades").asLong(-1) == 0) return "n/a (no closed trade)";
      if (pf != null && "NaN".equals(pf.asText())) return "n/a (no losing trade)";
      return Table.num(pf, 2);
    }
  }

  /** A new CANDIDATE by hand (POST /api/v1/strategies): e.g. a candidate of {@code evolve} run on another machine. */
  @Command(name = "register", mixinStandardHelpOptions = true,
      description = {"A new strategy instance, as CANDIDATE (e.g. the best candidate of `evolve` run on another machine).",
          "Start its shadow period with `strategies shadow ID`."})
  static final class Register extends NodeCommand {
    @Parameters(paramLabel = "ID", description = "The new instance's id: 1-64 letters, digits, '.', '_', ':', '-', starting with a letter or digit.")
    String id;

    @picocli.CommandLine.Mixin
    StrategyChoice choice;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept in the strategy's history).")
    String reason;

    @Override
    void run() throws CliException {
      Template t = choice.template();
      double[] p = choice.params(t);
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("id", id);
      body.put("template", StrategyInputs.kebab(t));
      body.put("params", StrategyInputs.named(t, p));
      body.put("reason", reason);
      JsonNode s = rawOr(api().sendJson("POST", "/api/v1/strategies", body));
      if (s == null) return;
      out().println(Table.text(s.get("id")) + ": registered as " + Table.text(s.get("state")) + " by " + Table.text(s.get("origin"))
          + ": " + params(s.get("template"), s.get("params")));
      out().println("start its shadow period: strategies shadow " + Table.text(s.get("id")) + " --reason TEXT");
      String hint = policyHint(s);
      if (hint != null) out().println(hint);
    }
  }

  /** A lifecycle move by hand: POST /api/v1/strategies/{id}/{action} with the operator's reason. */
  abstract static class Move extends NodeCommand {
    @Parameters(paramLabel = "ID", description = "The strategy instance id (strategies list).")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept in the strategy's history).")
    String reason;

    /** The route's action: the subcommand's own name. */
    String action() {
      return spec.name();
    }

    @Override
    void run() throws CliException {
      JsonNode s = rawOr(api().sendJson("POST", "/api/v1/strategies/" + NodeClient.encode(id) + "/" + action(), Map.of("reason", reason)));
      if (s == null) return;
      JsonNode last = lastMove(s);
      // the strategy's entry after the move; who and why, as the history keeps them (a move journaled
      // before kept "by <who>: " in the reason too)
      String why = last == null ? "" : Table.text(last.get("reason"));
      String by = last == null ? "" : Table.text(last.get("by"));
      out().println(Table.text(s.get("id")) + ": " + (last == null ? Table.text(s.get("state"))
          : Table.text(last.get("from")) + " -> " + Table.text(last.get("to")) + ", "
              + (why.startsWith("by " + by + ": ") ? why : "by " + by + ": " + why)));
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
        description = "CANDIDATE or DEMOTED to SHADOW: it trades on its own shadow book, with no capital.")
    static final class Shadow extends Move {
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
        description = "SHADOW to LIVE by hand (the thresholds are not checked; the policy's allow and block lists are, and nothing is promoted while no policy is known).")
    static final class Promote extends Move {
    }

    @Command(name = "demote", mixinStandardHelpOptions = true, description = "LIVE to DEMOTED: it opens nothing more.")
    static final class Demote extends Move {
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = "Any state but RETIRED to RETIRED, for good.")
    static final class Retire extends Move {
    }
  }
}
