package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rankings", mixinStandardHelpOptions = true,
    description = "The opportunity ranking: best symbols first, with the score's components; or one symbol's score.")
public final class RankingsCommand extends NodeCommand {
  @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many symbols (default ${DEFAULT-VALUE}).")
  int top;

  @Parameters(paramLabel = "SYMBOL", arity = "0..1", description = "Only this symbol's score (ranked or not).")
  String symbol;

  @Override
  void run() throws CliException {
    if (symbol != null) {
      JsonNode r = fetch(api(), "/api/v1/rankings/" + NodeClient.encode(symbol));
      if (r == null) return;
      JsonNode s = r.path("score");
      Table t = header();
      row(t, "-", s);
      t.print(out());
      out().println(r.hasNonNull("excludedBecause") ? "not ranked: " + Table.text(r.get("excludedBecause")) : "passes the filters");
      return;
    }
    JsonNode r = fetch(api(), "/api/v1/rankings?top=" + top);
    if (r == null) return;
    Table t = header();
    int rank = 0;
    for (JsonNode s : r.path("top")) row(t, String.valueOf(++rank), s);
    if (t.isEmpty()) out().println("nothing ranked yet");
    else t.print(out());
    out().println(Table.text(r.get("symbolsRanked")) + " of " + Table.text(r.get("symbolsScored"))
        + " scored symbols pass the filters; as of " + Table.time(r.get("asOf")));
  }

  private static Table header() {
    return new Table("RANK", "SYMBOL", "SCORE", "TREND", "VOLATILITY", "LIQUIDITY", "PERFORMANCE", "ANN.VOL", "BARS");
  }

  private static void row(Table t, String rank, JsonNode s) {
    t.row(rank, Table.text(s.get("symbol")), Table.num(s.get("total"), 3), Table.num(s.get("trend"), 3),
        Table.num(s.get("volatility"), 3), Table.num(s.get("liquidity"), 3), Table.num(s.get("performance"), 3),
        Table.percent(s.get("annualizedVol")), Table.text(s.get("bars")));
  }
}
