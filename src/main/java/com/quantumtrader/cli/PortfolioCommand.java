package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "portfolio", mixinStandardHelpOptions = true,
    description = "The book: equity, cash, PnL, exposure, open positions and working orders.")
public final class PortfolioCommand extends NodeCommand {
  @Override
  void run() throws CliException {
    JsonNode p = fetch(api(), "/api/v1/portfolio");
    if (p == null) return;
    Table.keyValues(out(),
        "gateway", Table.text(p.get("gateway")),
        "equity", Table.money(p.get("equity")) + " (initial capital " + Table.money(p.get("initialCapital")) + ")",
        "cash", Table.money(p.get("cash")),
        "realized pnl", Table.money(p.get("realizedPnl")),
        "unrealized pnl", Table.money(p.get("unrealizedPnl")),
        "fees paid", Table.money(p.get("feesPaid")),
        "gross exposure", Table.money(p.get("grossExposure")),
        "fills", Table.text(p.get("fills")),
        "closed trades", Table.text(p.get("closedTrades")));
    out().println();
    Table t = new Table("SYMBOL", "STRATEGY", "SIDE", "QUANTITY", "ENTRY", "MARK", "STOP", "TAKE-PROFIT", "UNREALIZED", "OPENED");
    for (JsonNode v : p.path("positions")) {
      JsonNode pos = v.path("position");
      t.row(Table.text(pos.get("symbol")), Table.text(pos.get("strategyId")), Table.text(pos.get("side")),
          Table.num(pos.get("quantity"), 6), Table.num(pos.get("entryPrice"), 4), Table.num(v.get("mark"), 4),
          Table.num(pos.get("stop"), 4), Table.num(pos.get("takeProfit"), 4), Table.money(v.get("unrealizedPnl")),
          Table.epochMillis(pos.get("openedAt")));
    }
    if (t.isEmpty()) out().println("no open positions");
    else t.print(out());
    Table o = new Table("ORDER", "STRATEGY", "SYMBOL", "SIDE", "INTENT", "QUANTITY", "STOP", "CONFIDENCE", "REASON");
    for (JsonNode w : p.path("workingOrders")) {
      o.row(Table.text(w.get("orderId")), Table.text(w.get("strategyId")), Table.text(w.get("symbol")), Table.text(w.get("side")),
          Table.text(w.get("intent")), Table.num(w.get("quantity"), 6), Table.num(w.get("stop"), 4),
          Table.num(w.get("confidence"), 2), Table.text(w.get("reason")));
    }
    if (!o.isEmpty()) {
      out().println();
      o.print(out());
    }
  }
}
