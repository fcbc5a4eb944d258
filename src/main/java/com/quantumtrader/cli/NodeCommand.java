package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Mixin;

/**
 * An operator command: talks to a node over HTTP. A {@link CliException} ends it with the node's
 * message on stderr and its exit code.
 */
abstract class NodeCommand extends CliCommand {
  @Mixin ConnectionOptions conn;

  private NodeClient api;
  private NodeClient management;

  NodeClient api() {
    if (api == null) api = new NodeClient(conn.nodeUri(), conn.token());
    return api;
  }

  NodeClient management() {
    if (management == null) management = new NodeClient(conn.managementUri(), conn.token());
    return management;
  }

  boolean json() {
    return conn.json;
  }

  /** GETs {@code path}; with --json prints the body as it came and returns null, else returns it parsed. */
  JsonNode fetch(NodeClient client, String path) throws CliException {
    NodeClient.Reply r = client.get(path);
    if (json()) {
      out().println(r.body());
      return null;
    }
    return r.json();
  }

  /** Prints the body as it came with --json and returns null; else returns it parsed. */
  JsonNode rawOr(NodeClient.Reply r) throws CliException {
    if (json()) {
      out().println(r.body());
      return null;
    }
    return r.json();
  }
}
