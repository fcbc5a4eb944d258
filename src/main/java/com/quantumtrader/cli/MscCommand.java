package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The Meta-Strategy Controller: its view of the market, its decisions, and the operator's override. */
@Command(name = "msc", mixinStandardHelpOptions = true,
    description = "The Meta-Strategy Controller: regime, risk-mode decisions, operator override.",
    subcommands = {MscCommand.Show.class, MscCommand.Decisions.class, MscCommand.SetOverride.class, MscCommand.Clear.class})
public final class MscCommand extends CommandGroup {

  static String override(JsonNode o) {
    if (o == null || !o.isObject()) return "(none)";
    return Table.text(o.get("mode")) + " by " + Table.text(o.get("by")) + " until " + Table.time(o.get("expiresAt"))
        + ": " + Table.text(o.get("reason"));
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Mode, regime, the analysis behind it, override.")
  static final class Show extends NodeCommand {
    @Override
    void run() throws CliException {
      JsonNode s = fetch(api(), "/api/v1/msc");
      if (s == null) return;
      JsonNode r = s.path("regime");
      JsonNode a = s.path("analysis");
      PrintWriter out = out();
      Table.keyValues(out,
          // MSC's own decision; an operator may have set the policy's mode since (status, policy show)
          "decided mode", Table.text(s.get("mode")) + (s.path("since").asText("").startsWith("1970-01-01")
              ? " (no change decided yet)" : " since " + Table.time(s.get("since"))),
          "regime", r.isObject() ? Table.text(r.get("regime")) + " (confidence " + Table.num(r.get("confidence"), 2) + ")" : "(not assessed yet)",
          "why", r.isObject() ? Table.list(r.get("reasons"), "; ") : "-",
          "market", a.isObject()
              ? Table.text(a.get("symbols")) + " symbols, breadth " + Table.percent(a.get("breadth")) + ", trend strength "
                  + Table.num(a.get("trendStrength"), 2) + ", index vol " + Table.percent(a.get("indexVol")) + ", drawdown "
                  + Table.percent(a.get("indexDrawdown")) + " (market time " + Table.epochMillis(a.get("marketTime")) + ")"
              : "-",
          "health", Table.text(s.get("health")) + (s.path("criticalToConfirmSince").isTextual()
              ? " (the monitors said CRITICAL at " + Table.time(s.get("criticalToConfirmSince")) + "; asked again before acting)" : ""),
          "override", override(s.get("override")),
          "auto adjust", Table.text(s.get("autoAdjust")),
          "pending write", Table.text(s.get("pendingWrite")),
          "evaluations", Table.text(s.get("evaluations")));
    }
  }

  @Command(name = "decisions", mixinStandardHelpOptions = true, description = "The controller's latest journal entries, newest first.")
  static final class Decisions extends NodeCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run() throws CliException {
      JsonNode d = fetch(api(), "/api/v1/msc/decisions?limit=" + limit);
      if (d == null) return;
      Table t = new Table("SEQ", "TIME", "TYPE", "MODE", "CHANGED", "REASON");
      for (JsonNode e : d.path("decisions")) {
        JsonNode ev = e.path("event");
        JsonNode o = ev.path("override");
        String mode = ev.has("mode") ? Table.text(ev.get("mode")) : o.isObject() ? Table.text(o.get("mode")) : "";
        String reason = ev.has("reason") ? Table.text(ev.get("reason"))
            : o.isObject() ? "override by " + Table.text(o.get("by")) + ": " + Table.text(o.get("reason")) : "";
        if (ev.has("by") && !reason.isEmpty()) reason = "by " + Table.text(ev.get("by")) + ": " + reason;
        t.row(Table.text(e.get("sequenceNr")), Table.time(ev.get("at")), Table.text(e.get("type")), mode,
            ev.has("changed") ? (ev.get("changed").asBoolean() ? "yes" : "no") : "", reason);
      }
      if (t.isEmpty()) {
        out().println("no decisions yet");
        return;
      }
      t.print(out());
      out().println(Table.text(d.get("total")) + " journal entries in all");
    }
  }

  @Command(name = "override", mixinStandardHelpOptions = true,
      description = "Hold a risk mode for a while, whatever the controller concludes (it resumes when the override ends).")
  static final class SetOverride extends NodeCommand {
    @Parameters(paramLabel = "MODE", description = "AGGRESSIVE, NORMAL or DEFENSIVE.")
    String mode;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the controller's journal).")
    String reason;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Until until;

    static final class Until {
      @Option(names = "--minutes", paramLabel = "N", description = "For N minutes from now (at most 90 days).")
      Long minutes;

      @Option(names = "--until", paramLabel = "TIME", description = "Until this ISO-8601 instant, e.g. 2025-01-31T18:00:00Z.")
      String expiresAt;
    }

    @Override
    void run() throws CliException {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("mode", mode.toUpperCase(Locale.ROOT));
      b.put("reason", reason);
      if (until.minutes != null) {
        b.put("minutes", until.minutes);
      } else {
        try {
          b.put("expiresAt", Instant.parse(until.expiresAt).toString());
        } catch (DateTimeParseException e) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--until must be an ISO-8601 instant such as 2025-01-31T18:00:00Z, got " + until.expiresAt);
        }
      }
      JsonNode o = rawOr(api().sendJson("PUT", "/api/v1/msc/override", b));
      if (o != null) out().println("override set: " + override(o));
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "End the override now; the controller decides again.")
  static final class Clear extends NodeCommand {
    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the controller's journal).")
    String reason;

    @Override
    void run() throws CliException {
      JsonNode o = rawOr(api().delete("/api/v1/msc/override?reason=" + NodeClient.encode(reason)));
      if (o != null) out().println("override cleared (it was " + override(o) + ")");
    }
  }
}
