package com.quantumtrader.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * An operator command: talks to a node over HTTP and prints through picocli's writers (so tests
 * and callers can capture the output). A {@link CliException} ends it with the node's message on
 * stderr and its exit code.
 */
abstract class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  private NodeClient api;
  private NodeClient management;

  @Override
  public final Integer call() {
    try {
      run();
      out().flush();
      return 0;
    } catch (CliException e) {
      out().flush();
      err().println("quantum-trader: " + e.getMessage());
      err().flush();
      return e.exitCode();
    }
  }

  /** The command's work; the exit code is 0 unless it throws. */
  abstract void run() throws CliException;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

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
