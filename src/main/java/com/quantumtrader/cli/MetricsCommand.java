package com.quantumtrader.cli;

import picocli.CommandLine.Command;

@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "The node's Prometheus metrics, as text (--json has no effect: there is no JSON form).")
public final class MetricsCommand extends NodeCommand {
  @Override
  void run() throws CliException {
    out().print(api().get("/metrics").body());
  }
}
