package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trades", mixinStandardHelpOptions = true, description = "Closed trades as analytics recorded them.")
public final class TradesCommand extends NodeCommand {
  @Option(names = "--strategy", paramLabel = "ID", description = "Only this strategy instance's trades.")
  String strategy;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only trades in this symbol.")
  String symbol;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N trades (default ${DEFAULT-VALUE}, at most 1000).")
  int limit;

  @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N (paging).")
  int offset;

  @Override
  void run() throws CliException {
    StringBuilder q = new StringBuilder("/api/v1/trades?limit=" + limit + "&offset=" + offset);
    if (strategy != null) q.append("&strategy=").append(NodeClient.encode(strategy));
    if (symbol != null) q.append("&symbol=").append(NodeClient.encode(symbol));
    JsonNode r = fetch(api(), q.toString());
    if (r == null) return;
    Table t = new Table("CLOSED", "STRATEGY", "SYMBOL", "SIDE", "QUANTITY", "ENTRY", "EXIT", "PNL", "FEES", "EXIT REASON");
    for (JsonNode x : r.path("trades")) {
      t.row(Table.epochMillis(x.get("closedAt")), Table.text(x.get("strategyId")), Table.text(x.get("symbol")),
          Table.text(x.get("side")), Table.num(x.get("quantity"), 6), Table.num(x.get("entryPrice"), 4),
          Table.num(x.get("exitPrice"), 4), Table.money(x.get("pnl")), Table.money(x.get("fees")), Table.text(x.get("exit")));
    }
    long total = r.path("total").asLong();
    if (t.isEmpty()) {
      out().println(total == 0 ? "no closed trades" : "no trades at offset " + offset + " (" + total + " in all)");
      return;
    }
    t.print(out());
    int shown = r.path("trades").size();
    out().println("trades " + (offset + 1) + "-" + (offset + shown) + " of " + total
        + (offset + shown < total ? "; next page: --offset " + (offset + shown) : ""));
  }
}
