package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The global policy: read it, read its history, change it (operator token; every change needs a reason). */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Show and change the global policy (risk mode, limits, strategy and symbol lists).",
    subcommands = {PolicyCommand.Show.class, PolicyCommand.History.class, PolicyCommand.SetMode.class,
        PolicyCommand.SetLimits.class, PolicyCommand.Allow.class, PolicyCommand.Disallow.class, PolicyCommand.Block.class,
        PolicyCommand.Unblock.class})
public final class PolicyCommand extends CommandGroup {

  /** Prints a policy view ({@code {version, policy: {...}, updatedAt, updatedBy, reason}}). */
  static void print(PrintWriter out, JsonNode v) {
    JsonNode p = v.path("policy");
    JsonNode l = p.path("limits");
    Table.keyValues(out,
        "risk mode", Table.text(p.get("riskMode")),
        "version", Table.text(v.get("version")),
        "updated", v.hasNonNull("updatedAt") ? Table.time(v.get("updatedAt")) + " by " + Table.text(v.get("updatedBy")) : "never",
        "reason", Table.text(v.get("reason")),
        "min confidence", Table.num(l.get("minConfidence"), 2),
        "max risk per trade", Table.percent(l.get("maxRiskPerTrade")),
        "max open positions", Table.text(l.get("maxOpenPositions")),
        "max gross exposure", Table.percent(l.get("maxGrossExposure")),
        "allowed strategies", p.path("allowedStrategies").isEmpty() ? "(all that are not blocked)" : Table.list(p.get("allowedStrategies")),
        "blocked strategies", Table.list(p.get("blockedStrategies")),
        "blocked symbols", Table.list(p.get("blockedSymbols")));
  }

  /** A policy write: prints the new policy (or the node's JSON). */
  abstract static class Write extends NodeCommand {
    @Mixin WriteOptions write;

    void send(String method, String path, Map<String, Object> body) throws CliException {
      JsonNode r = rawOr(api().sendJson(method, path, body));
      if (r == null) return;
      JsonNode v = r.path("policy");
      out().println(r.path("changed").asBoolean()
          ? "policy changed: now at version " + Table.text(v.get("version"))
          : "no change: the policy already says so (version " + Table.text(v.get("version")) + ")");
      print(out(), v);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "The policy in force.")
  static final class Show extends NodeCommand {
    @Override
    void run() throws CliException {
      JsonNode v = fetch(api(), "/api/v1/policy");
      if (v != null) print(out(), v);
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Policy changes, newest first: who, when, why.")
  static final class History extends NodeCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N changes (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--before", paramLabel = "VERSION", description = "Only changes older than this version (paging).")
    Long before;

    @Override
    void run() throws CliException {
      JsonNode h = fetch(api(), "/api/v1/policy/history?limit=" + limit + (before == null ? "" : "&before=" + before));
      if (h == null) return;
      Table t = new Table("VERSION", "TIME", "BY", "KIND", "REASON", "CHANGE");
      for (JsonNode e : h.path("entries")) {
        t.row(Table.text(e.get("version")), Table.time(e.get("at")), Table.text(e.get("changedBy")), Table.text(e.get("kind")),
            Table.text(e.get("reason")), Table.text(e.get("change")));
      }
      if (t.isEmpty()) {
        out().println("no policy changes yet");
        return;
      }
      t.print(out());
      if (h.hasNonNull("nextBeforeVersion")) out().println("older changes: --before " + h.get("nextBeforeVersion").asText());
    }
  }

  @Command(name = "set-mode", mixinStandardHelpOptions = true,
      description = "Set the risk mode (its limits come with it).")
  static final class SetMode extends Write {
    @Parameters(paramLabel = "MODE", description = "AGGRESSIVE, NORMAL or DEFENSIVE.")
    String mode;

    @Override
    void run() throws CliException {
      Map<String, Object> b = write.body();
      b.put("mode", mode.toUpperCase(Locale.ROOT));
      send("PUT", "/api/v1/policy/risk-mode", b);
    }
  }

  @Command(name = "limits", mixinStandardHelpOptions = true,
      description = "Change one or more limits of the current risk mode.")
  static final class SetLimits extends Write {
    @Option(names = "--min-confidence", paramLabel = "X", description = "Lowest signal confidence that may trade, in [0, 1].")
    Double minConfidence;

    @Option(names = "--max-risk-per-trade", paramLabel = "X", description = "Largest fraction of equity at risk per trade.")
    Double maxRiskPerTrade;

    @Option(names = "--max-open-positions", paramLabel = "N", description = "Most positions open at once.")
    Integer maxOpenPositions;

    @Option(names = "--max-gross-exposure", paramLabel = "X", description = "Largest gross exposure as a fraction of equity.")
    Double maxGrossExposure;

    @Override
    void run() throws CliException {
      if (minConfidence == null && maxRiskPerTrade == null && maxOpenPositions == null && maxGrossExposure == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "give at least one of --min-confidence, --max-risk-per-trade, --max-open-positions, --max-gross-exposure");
      }
      finite(spec, "--min-confidence", minConfidence);
      finite(spec, "--max-risk-per-trade", maxRiskPerTrade);
      finite(spec, "--max-gross-exposure", maxGrossExposure);
      Map<String, Object> b = write.body();
      if (minConfidence != null) b.put("minConfidence", minConfidence);
      if (maxRiskPerTrade != null) b.put("maxRiskPerTrade", maxRiskPerTrade);
      if (maxOpenPositions != null) b.put("maxOpenPositions", maxOpenPositions);
      if (maxGrossExposure != null) b.put("maxGrossExposure", maxGrossExposure);
      send("PUT", "/api/v1/policy/limits", b);
    }
  }

  /**
   * A usage error for NaN or an infinity (picocli reads "NaN" and "Infinity" as doubles), said here
   * rather than as the node's JSON refusal of a body the user never typed; the ranges are the node's.
   */
  private static void finite(CommandLine.Model.CommandSpec spec, String option, Double v) {
    if (v != null && !Double.isFinite(v)) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a finite number, got " + v);
    }
  }

  /** On or off the allow list: a strategy instance. */
  abstract static class AllowList extends Write {
    @Parameters(paramLabel = "STRATEGY", description = "A strategy instance id, e.g. trend-ema-12-26.")
    String strategy;

    /** The route's action: the subcommand's own name. */
    String action() {
      return spec.name();
    }

    @Override
    void run() throws CliException {
      send("POST", "/api/v1/policy/strategies/" + NodeClient.encode(strategy) + "/" + action(), write.body());
    }
  }

  @Command(name = "allow", mixinStandardHelpOptions = true,
      description = "Put a strategy instance on the allow list (once the list is not empty, only listed strategies trade).")
  static final class Allow extends AllowList {
  }

  @Command(name = "disallow", mixinStandardHelpOptions = true,
      description = "Take a strategy instance off the allow list (once the list is empty, every strategy not blocked trades).")
  static final class Disallow extends AllowList {
  }

  /** Block or unblock: a strategy instance (positional) or a symbol (--symbol). */
  abstract static class StrategyOrSymbol extends Write {
    @Parameters(paramLabel = "STRATEGY", arity = "0..1", description = "A strategy instance id, e.g. trend-ema-12-26.")
    String strategy;

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "A symbol instead of a strategy, e.g. BTCUSDT.")
    String symbol;

    void send(String action) throws CliException {
      if ((strategy == null) == (symbol == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a STRATEGY or --symbol SYMBOL (one of the two)");
      }
      String path = strategy != null
          ? "/api/v1/policy/strategies/" + NodeClient.encode(strategy) + "/" + action
          : "/api/v1/policy/symbols/" + NodeClient.encode(symbol) + "/" + action;
      send("POST", path, write.body());
    }
  }

  @Command(name = "block", mixinStandardHelpOptions = true,
      description = "Block a strategy instance (it opens nothing new) or, with --symbol, a symbol.")
  static final class Block extends StrategyOrSymbol {
    @Override
    void run() throws CliException {
      send("block");
    }
  }

  @Command(name = "unblock", mixinStandardHelpOptions = true,
      description = "Lift the block on a strategy instance or, with --symbol, a symbol.")
  static final class Unblock extends StrategyOrSymbol {
    @Override
    void run() throws CliException {
      send("unblock");
    }
  }
}
