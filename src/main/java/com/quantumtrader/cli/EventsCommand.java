package com.quantumtrader.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node's live event stream (Server-Sent Events), one line per event. Without {@code --follow}
 * it listens for {@code --seconds} (5 by default) and exits 0, so a script can take a sample; with
 * it, it runs until Ctrl-C or until the node ends the stream (exit 3 then: the node went away).
 * Only events published while listening are shown: the stream has no history.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Print the node's live events, one per line (with --json: each event's JSON, one per line).",
        "Without --follow: what arrives within --seconds, then exit. With --follow: until Ctrl-C."})
public final class EventsCommand extends NodeCommand {
  @Option(names = "--types", split = ",", paramLabel = "TYPE",
      description = "Only these types, comma-separated: policy.updated, opportunities.updated, health.status_changed, "
          + "trade.executed, strategy.promoted, model.promoted (default: all).")
  List<String> types = new ArrayList<>();

  @Option(names = {"-f", "--follow"}, description = "Keep printing events until Ctrl-C.")
  boolean follow;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "5",
      description = "Without --follow: how long to listen (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  Integer count;

  private static final Object END = new Object();

  @Override
  void run() throws CliException {
    if (seconds < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seconds must be at least 1, got " + seconds);
    if (count != null && count < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
    }
    // a misspelt type is a usage error here (exit 2), not a request the node refuses
    List<String> known = java.util.Arrays.stream(com.quantumtrader.bus.EventType.values()).map(com.quantumtrader.bus.EventType::key).toList();
    for (String t : types) {
      if (!known.contains(t.trim())) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--types: unknown event type " + t + "; one of "
            + String.join(", ", known));
      }
    }
    String path = "/api/v1/events" + (types.isEmpty() ? "" : "?types=" + NodeClient.encode(String.join(",", types)));
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    Lines lines = new Lines(queue);
    api().stream(path, lines);
    long deadline = follow ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    int printed = 0;
    StringBuilder data = new StringBuilder();
    String event = null;
    try {
      while (count == null || printed < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        Object item = queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        if (item == null) continue;
        if (item == END) {
          if (follow) throw new CliException(CliException.UNREACHABLE, "the node ended the event stream");
          return;
        }
        if (item instanceof Throwable t) {
          // the node went away mid-stream (stopped, restarted, the connection cut): say so in words
          throw new CliException(CliException.UNREACHABLE, "the event stream from " + conn.nodeUri() + " was cut (the node stopped or the"
              + " connection broke: " + t.getMessage() + "); events published since were not received: start events --follow again"
              + " once the node is back");
        }
        String line = (String) item;
        if (line.isEmpty()) {
          // End of one event (an empty one is the keep-alive heartbeat).
          if (data.length() > 0) {
            print(event, data.toString());
            printed++;
          }
          data.setLength(0);
          event = null;
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) data.append('\n');
          data.append(field(line));
        } else if (line.startsWith("event:")) {
          event = field(line);
        }
        // "id:", "retry:" and ":" comments are not shown.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lines.cancel();
      out().flush();
    }
  }

  private static String field(String line) {
    String v = line.substring(line.indexOf(':') + 1);
    return v.startsWith(" ") ? v.substring(1) : v;
  }

  private void print(String type, String data) {
    if (json()) {
      out().println(data);
    } else {
      out().println(describe(type, data));
    }
    out().flush();
  }

  /** "time  type  source  summary": the summary picks the fields an operator reads first. */
  static String describe(String type, String data) {
    JsonNode e;
    try {
      e = NodeClient.MAPPER.readTree(data);
    } catch (JsonProcessingException ex) {
      return (type == null ? "event" : Table.safe(type)) + "  " + Table.safe(data);
    }
    JsonNode p = e.path("payload");
    String t = type != null ? type : p.path("@type").asText("event");
    String summary = switch (t) {
      case "policy.updated" -> "v" + Table.text(p.get("version")) + " " + Table.text(p.path("policy").get("riskMode")) + " by "
          + Table.text(p.get("changedBy")) + ": " + Table.text(p.get("change")) + " (" + Table.text(p.get("reason")) + ")";
      case "trade.executed" -> Table.text(p.get("strategyId")) + " " + Table.text(p.get("side")) + " "
          + Table.num(p.get("quantity"), 6) + " " + Table.text(p.get("symbol")) + " @ " + Table.num(p.get("price"), 4)
          + " fee " + Table.num(p.get("fee"), 4);
      case "opportunities.updated" -> {
        List<String> top = new ArrayList<>();
        for (JsonNode o : p.path("top")) {
          if (top.size() == 5) break;
          top.add(Table.text(o.get("symbol")) + " " + Table.num(o.get("score"), 3));
        }
        yield "top " + p.path("top").size() + ": " + String.join(", ", top) + (p.path("top").size() > 5 ? ", ..." : "");
      }
      case "health.status_changed" -> Table.text(p.get("previous")) + " -> " + Table.text(p.get("status")) + ": "
          + Table.list(p.get("reasons"), "; ");
      default -> {
        ObjectNode rest = p.isObject() ? ((ObjectNode) p).deepCopy() : NodeClient.MAPPER.createObjectNode();
        rest.remove("@type");
        yield rest.toString();
      }
    };
    return Table.time(e.get("time")) + "  " + t + "  " + Table.text(e.get("source")) + "  " + summary;
  }

  /** Hands the stream's lines to the command's thread; cancelling closes the connection. */
  private static final class Lines implements Flow.Subscriber<String> {
    private final BlockingQueue<Object> queue;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    Lines(BlockingQueue<Object> queue) {
      this.queue = queue;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) s.cancel();
      else s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      queue.add(line);
    }

    @Override
    public void onError(Throwable t) {
      if (!cancelled) queue.add(t);
    }

    @Override
    public void onComplete() {
      queue.add(END);
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) s.cancel();
    }
  }
}
