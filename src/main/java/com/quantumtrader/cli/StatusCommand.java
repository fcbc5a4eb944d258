package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "One screen about the node: cluster membership, policy, regime, equity, health.")
public final class StatusCommand extends NodeCommand {
  @Override
  void run() throws CliException {
    JsonNode s = fetch(api(), "/api/v1/status");
    if (s == null) return;
    JsonNode reasons = s.path("healthReasons");
    JsonNode override = s.path("mscOverride");
    java.util.List<String> silent = new java.util.ArrayList<>();
    s.path("unanswered").forEach(n -> silent.add(n.asText()));
    Table.keyValues(out(),
        "node", Table.text(s.get("node")) + " (" + Table.text(s.get("memberStatus")) + ", " + Table.text(s.get("members"))
            + " members)",
        "health", Table.text(s.get("health")) + (reasons.isArray() && !reasons.isEmpty() ? ": " + Table.list(reasons) : ""),
        "risk mode", Table.text(s.get("riskMode")),
        "policy version", Table.text(s.get("policyVersion")),
        "regime", Table.text(s.get("regime")),
        "msc override", override.isObject()
            ? Table.text(override.get("mode")) + " by " + Table.text(override.get("by")) + " until "
                + Table.time(override.get("expiresAt"))
            : silent.contains("meta-strategy-controller") ? "-" : "(none)",
        "equity", Table.money(s.get("equity")),
        "realized pnl", Table.money(s.get("realizedPnl")),
        "open positions", Table.text(s.get("openPositions")),
        "live strategies", live(s.get("liveStrategies")),
        "strategies", byState(s.get("strategiesByState")),
        "market feed", feed(s.get("feed"), silent.contains("market-feed")));
    if (!silent.isEmpty()) {
      out().println("not answering in time: " + String.join(", ", silent) + " (their figures show -; a component restarting,"
          + " e.g. while the database is unreachable, answers again once it has recovered)");
    }
  }

  /**
   * {@code RUNNING, 1,234 bars delivered}, with how long its oldest batch has waited to be taken when
   * it has (the broker takes none while its journal is away), and the possible bad ticks it has seen
   * (SpikeWatch); "-" when it did not answer, "(none on
   * this node)" when the node runs none (the feed is a singleton: another node may run it).
   */
  static String feed(JsonNode f, boolean silent) {
    if (silent) return "-";
    if (f == null || !f.isObject()) return "(none on this node)";
    long waiting = f.path("waitingSeconds").asLong(), badTicks = f.path("possibleBadTicks").asLong();
    return Table.text(f.get("state")) + ", " + String.format(java.util.Locale.ROOT, "%,d", f.path("barsDelivered").asLong())
        + " bars delivered" + (waiting > 0 ? ", waiting " + waiting + " s for a batch to be taken" : "")
        + (badTicks > 0 ? ", " + badTicks + " possible bad tick" + (badTicks == 1 ? "" : "s") + " (named in the node's log)" : "");
  }

  /** The LIVE strategies' ids; "(none)" when none is LIVE, "-" when the registry did not answer. */
  static String live(JsonNode ids) {
    if (ids == null || !ids.isArray()) return "-";
    return ids.isEmpty() ? "(none)" : Table.list(ids);
  }

  /** {@code 2 LIVE, 3 SHADOW, 1 RETIRED}: the states that have strategies, in lifecycle order. */
  static String byState(JsonNode counts) {
    if (counts == null || !counts.isObject()) return "-";
    StringBuilder b = new StringBuilder();
    counts.fields().forEachRemaining(e -> {
      if (e.getValue().asInt() == 0) return;
      if (b.length() > 0) b.append(", ");
      b.append(e.getValue().asInt()).append(' ').append(e.getKey());
    });
    return b.length() == 0 ? "(none)" : b.toString();
  }
}
