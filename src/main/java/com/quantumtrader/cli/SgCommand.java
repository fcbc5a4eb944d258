package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.quantumtrader.strategy.Evolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The Strategy Generator on a node: start a run, follow it, see its candidates, cancel it. */
@Command(name = "sg", mixinStandardHelpOptions = true,
    description = "The Strategy Generator on the node: start, follow and cancel evolution runs; their candidates.",
    subcommands = {SgCommand.Runs.class, SgCommand.Start.class, SgCommand.Show.class, SgCommand.Cancel.class})
public final class SgCommand extends CommandGroup {
  /** How often --watch asks for the run's status. */
  static final long WATCH_MILLIS = 1_000;

  static String generation(JsonNode run) {
    JsonNode p = run.path("progress");
    long of = p.path("underWayOf").asLong();
    String under = p.path("underWay").asLong() == 0 ? ""
        : of > 0 ? String.format(java.util.Locale.ROOT, " (the next: %,d of at most %,d evaluations)", p.path("underWay").asLong(), of)
        : String.format(java.util.Locale.ROOT, " (the next: %,d evaluations)", p.path("underWay").asLong()); // a node before underWayOf
    return p.isObject() ? Table.text(p.get("generation")) + "/" + Table.text(p.get("generations")) + under
        : "0/" + Table.text(run.get("generations"));
  }

  @Command(name = "runs", mixinStandardHelpOptions = true, description = "The last 20 runs, and older ones with a registered candidate (at most 40), oldest first.")
  static final class Runs extends NodeCommand {
    @Override
    void run() throws CliException {
      JsonNode r = fetch(api(), "/api/v1/sg/runs");
      if (r == null) return;
      Table t = new Table("RUN", "STATE", "GENERATION", "BEST", "KEPT", "SEED", "RESUMES", "BY", "STARTED", "DATA");
      for (JsonNode run : r.path("runs")) {
        long kept = 0;
        for (JsonNode c : run.path("candidates")) if (c.path("kept").asBoolean()) kept++;
        t.row(Table.text(run.get("runId")), Table.text(run.get("state")), generation(run), ProgressLine.fitness(number(run.path("progress").get("bestFitness"))),
            kept + "/" + run.path("candidates").size(), Table.text(run.get("seed")), Table.text(run.get("resumes")), Table.text(run.get("by")),
            Table.time(run.get("started")), Table.text(run.get("data")));
      }
      if (t.isEmpty()) {
        out().println("no runs yet");
        return;
      }
      t.print(out());
    }
  }

  private static Double number(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  /** Shows a run; with --watch, a progress line on stderr until it ends first. */
  abstract static class RunView extends NodeCommand {
    @Option(names = "--watch", description = "Follow the run (a progress bar on a terminal, a line a second otherwise, on stderr) until it ends, then show it;"
        + " exit 1 when it ends other than DONE (failed, cancelled, interrupted).")
    boolean watch;

    void show(String runId) throws CliException {
      String path = "/api/v1/sg/runs/" + NodeClient.encode(runId);
      JsonNode run = api().get(path).json();
      ProgressLine line = new ProgressLine(err());
      while (watch && "RUNNING".equals(run.path("state").asText())) {
        JsonNode p = run.path("progress");
        if (p.isObject()) {
          line.show(p.path("generation").asLong(), p.path("generations").asLong(run.path("generations").asLong()), number(p.get("bestFitness")),
              number(p.get("medianFitness")), p.path("evaluationsPerSecond").asDouble(), run.path("barStepsPerSecond").asDouble(),
              p.path("underWay").asLong(), p.path("underWayOf").asLong());
        }
        try {
          Thread.sleep(WATCH_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        run = api().get(path).json();
      }
      line.end();
      if (json()) out().println(run);
      else print(run);
      String state = run.path("state").asText();
      if (watch && !"RUNNING".equals(state) && !"DONE".equals(state)) {
        // followed to an end that is not a result: a script waiting on the run must see it failed
        throw new CliException(CliException.SERVER_ERROR, "run " + runId + " ended " + state
            + (run.path("error").isTextual() ? ": " + Table.safe(run.get("error").asText()) : "")
            + (run.path("cancelledBy").isTextual() ? " (cancelled by " + Table.safe(run.get("cancelledBy").asText()) + ")" : ""));
      }
    }

    private void print(JsonNode run) {
      JsonNode p = run.path("progress");
      Table.keyValues(out(),
          "run", Table.text(run.get("runId")),
          "state", Table.text(run.get("state")) + (run.path("cancelledBy").isTextual() ? " (cancelled by " + run.get("cancelledBy").asText() + ")" : ""),
          "template", Table.text(run.get("template")),
          "data", Table.text(run.get("data")),
          "sizes", "population " + Table.text(run.get("population")) + ", " + Table.text(run.get("generations")) + " generations",
          "seed", Table.text(run.get("seed")) + " (the same request with this seed repeats the run)",
          "by", Table.text(run.get("by")) + " at " + Table.time(run.get("started")),
          "resumes", Table.text(run.get("resumes")),
          "progress", p.isObject() ? "generation " + generation(run) + ", best fitness " + ProgressLine.fitness(number(p.get("bestFitness")))
              + ", median " + ProgressLine.fitness(number(p.get("medianFitness"))) + ", " + Table.text(p.get("evaluations")) + " evaluations, "
              + EvolveCommand.rate(run.path("barStepsPerSecond").asDouble()) + " bar-steps/s" : "-",
          "error", Table.text(run.get("error")),
          "rows left out", run.hasNonNull("rowsLeftOut") ? run.get("rowsLeftOut").asText() : "none");
      Table t = new Table("ID", "VERDICT", "FITNESS IN", "FITNESS OUT", "SHARPE IN", "SHARPE OUT", "RETURN IN", "RETURN OUT", "MAX DD IN",
          "MAX DD OUT", "TRADES IN", "TRADES OUT", "REGISTERED", "PARAMS");
      List<String> why = new ArrayList<>();
      for (JsonNode c : run.path("candidates")) {
        JsonNode in = c.path("inSample"), oos = c.path("outOfSample"), spec = c.path("spec");
        boolean kept = c.path("kept").asBoolean();
        t.row(Table.text(spec.get("id")), kept ? "kept" : "rejected", Table.num(c.get("trainFitness"), 3),
            Table.num(c.get("testFitness"), 3), Table.num(in.get("sharpe"), 2), Table.num(oos.get("sharpe"), 2), Table.percent(in.get("totalReturn")),
            Table.percent(oos.get("totalReturn")), Table.percent(in.get("maxDrawdown")), Table.percent(oos.get("maxDrawdown")),
            Table.text(in.get("tradeCount")), Table.text(oos.get("tradeCount")), Table.text(c.get("registered")),
            StrategiesCommand.params(spec.get("template"), spec.get("params")));
        if (!kept && c.hasNonNull("verdict")) why.add("  " + Table.text(spec.get("id")) + " rejected: " + Table.text(c.get("verdict")));
      }
      if (!t.isEmpty()) {
        out().println();
        t.print(out());
        why.forEach(out()::println);
      } else if (List.of("DONE", "CANCELLED").contains(run.path("state").asText())) {
        out().println();
        out().println(p.isObject() && number(p.get("bestFitness")) != null && number(p.get("bestFitness")) <= Evolver.INVALID
            ? EvolveCommand.NO_VALID_CANDIDATE : "no candidates (no generation completed)");
      }
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start a run on the node's candles (or, without candle data, its synthetic market); one run at a time.")
  static final class Start extends RunView {
    @Option(names = "--template", required = true, paramLabel = "TEMPLATE",
        description = "TREND_EMA_CROSS, DONCHIAN_BREAKOUT or MEAN_REVERSION (trend-ema-cross etc. work too).")
    String template;

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "The symbol whose candles it evolves on (needed on a folder of several).")
    String symbol;

    @Option(names = "--interval", paramLabel = "INTERVAL", description = "The candle interval, when the symbol has several (e.g. 5m).")
    String interval;

    @Option(names = "--population", paramLabel = "N", description = "Population (default: the node's QT_SG_POPULATION_SIZE).")
    Integer population;

    @Option(names = "--generations", paramLabel = "N", description = "Generations (default: the node's QT_SG_GENERATIONS).")
    Integer generations;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: from the node's clock; shown in the run).")
    Long seed;

    @Override
    void run() throws CliException {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("template", template.trim()); // the node takes the CLI name or the enum name, in any case, and quotes it as given
      if (symbol != null) b.put("symbol", symbol);
      if (interval != null) b.put("interval", interval);
      if (population != null) b.put("population", population);
      if (generations != null) b.put("generations", generations);
      if (seed != null) b.put("seed", seed);
      NodeClient.Reply r = api().sendJson("POST", "/api/v1/sg/runs", b);
      if (json() && !watch) {
        out().println(r.body());
        return;
      }
      JsonNode run = r.json();
      if (!watch) {
        out().println("started " + Table.text(run.get("runId")) + ": " + Table.text(run.get("template")) + " on " + Table.text(run.get("data"))
            + ", population " + Table.text(run.get("population")) + ", " + Table.text(run.get("generations")) + " generations, seed "
            + Table.text(run.get("seed")) + " (follow it: sg show " + Table.text(run.get("runId")) + " --watch)");
        return;
      }
      show(run.path("runId").asText());
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A run: state, progress, seed and its candidates with both windows' figures.")
  static final class Show extends RunView {
    @Parameters(paramLabel = "RUN", description = "The run id (sg runs).")
    String runId;

    @Override
    void run() throws CliException {
      show(runId);
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running run: it ends CANCELLED with its best so far.")
  static final class Cancel extends NodeCommand {
    @Parameters(paramLabel = "RUN", description = "The run id (sg runs).")
    String runId;

    @Override
    void run() throws CliException {
      JsonNode run = rawOr(api().delete("/api/v1/sg/runs/" + NodeClient.encode(runId)));
      if (run != null) {
        out().println(Table.text(run.get("runId")) + ": cancelled by " + Table.text(run.get("cancelledBy")) + " (state "
            + Table.text(run.get("state")) + "; it ends CANCELLED with its best so far)");
      }
    }
  }
}
