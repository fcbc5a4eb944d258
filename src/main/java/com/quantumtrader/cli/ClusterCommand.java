package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The cluster, through a node's management port (Akka Management's routes behind the node's
 * tokens): reads need a viewer token, leave and down an admin token.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cluster members and shards; make a member leave, or down an unreachable one (admin token).",
    subcommands = {ClusterCommand.Members.class, ClusterCommand.Shards.class, ClusterCommand.Leave.class, ClusterCommand.Down.class})
public final class ClusterCommand extends CommandGroup {

  @Command(name = "members", mixinStandardHelpOptions = true,
      description = "Every member as the asked node sees it: address, status, roles, and who leads.")
  static final class Members extends NodeCommand {
    @Override
    void run() throws CliException {
      JsonNode m = fetch(management(), "/cluster/members");
      if (m == null) return;
      List<String> unreachable = new ArrayList<>();
      for (JsonNode u : m.path("unreachable")) unreachable.add(u.path("node").asText());
      Table t = new Table("ADDRESS", "STATUS", "REACHABLE", "ROLES", "");
      for (JsonNode x : m.path("members")) {
        String node = x.path("node").asText();
        List<String> marks = new ArrayList<>();
        if (node.equals(m.path("selfNode").asText())) marks.add("asked");
        if (node.equals(m.path("leader").asText())) marks.add("leader");
        if (node.equals(m.path("oldest").asText())) marks.add("oldest");
        t.row(node, Table.text(x.get("status")), unreachable.contains(node) ? "NO" : "yes", Table.list(x.get("roles"), ","),
            String.join(", ", marks));
      }
      t.print(out());
    }
  }

  @Command(name = "shards", mixinStandardHelpOptions = true,
      description = "The shards of a sharded region hosted on the asked node, with their entity counts.")
  static final class Shards extends NodeCommand {
    @Parameters(paramLabel = "REGION", arity = "0..1", defaultValue = "symbol-ranker",
        description = "The entity type (default ${DEFAULT-VALUE}).")
    String region;

    @Override
    void run() throws CliException {
      JsonNode s = fetch(management(), "/cluster/shards/" + NodeClient.encode(region));
      if (s == null) return;
      List<JsonNode> shards = new ArrayList<>();
      s.path("regions").forEach(shards::add);
      shards.sort((a, b) -> compareIds(a.path("shardId").asText(), b.path("shardId").asText()));
      Table t = new Table("SHARD", "ENTITIES");
      long entities = 0;
      for (JsonNode x : shards) {
        t.row(Table.text(x.get("shardId")), Table.text(x.get("numEntities")));
        entities += x.path("numEntities").asLong();
      }
      if (!t.isEmpty()) t.print(out());
      out().println(region + " on " + management().base() + ": " + shards.size() + " shards, " + entities + " entities");
    }

    private static int compareIds(String a, String b) {
      boolean na = a.matches("\\d+"), nb = b.matches("\\d+");
      if (na && nb) return Long.compare(Long.parseLong(a), Long.parseLong(b));
      return a.compareTo(b);
    }
  }

  /** Leave or down: {@code PUT /cluster/members/{address}} with {@code operation}. */
  abstract static class MemberOperation extends NodeCommand {
    @Parameters(paramLabel = "ADDRESS",
        description = "The member: its full address (akka://QuantumTrader@host:port) or host:port.")
    String address;

    void operate(String operation) throws CliException {
      String full = resolve(address);
      JsonNode r = rawOr(management().sendForm("PUT", "/cluster/members/" + NodeClient.encode(full), Map.of("operation", operation)));
      if (r != null) out().println(r.hasNonNull("message") ? Table.text(r.get("message")) : Table.safe(r.toString()));
    }

    /** host:port becomes the full address of the member that has it. */
    private String resolve(String given) throws CliException {
      if (given.contains("://")) return given;
      JsonNode m = management().get("/cluster/members").json();
      for (JsonNode x : m.path("members")) {
        String node = x.path("node").asText();
        if (node.endsWith("@" + given)) return node;
      }
      throw new CliException(CliException.SERVER_ERROR, "not_found: no member at " + given + " (see: cluster members)");
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true,
      description = "Ask a member to leave gracefully: its shards and singletons move, then it stops (admin token).")
  static final class Leave extends MemberOperation {
    @Override
    void run() throws CliException {
      operate("Leave");
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Mark an unreachable member as down so the cluster moves on without it (admin token). "
          + "Only for a member that is really gone: a live downed member must restart to rejoin.")
  static final class Down extends MemberOperation {
    @Override
    void run() throws CliException {
      operate("Down");
    }
  }
}
