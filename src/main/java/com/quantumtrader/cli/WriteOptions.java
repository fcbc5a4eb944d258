package com.quantumtrader.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every policy write carries: why (recorded in the policy history) and, optionally, the version it expects. */
public final class WriteOptions {
  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "Why: recorded with the change in the policy history.")
  String reason;

  @Option(names = "--expected-version", paramLabel = "N",
      description = "Refuse the change (409) unless the policy is still at this version.")
  Long expectedVersion;

  /** A request body with reason and expectedVersion, plus the given fields. */
  Map<String, Object> body() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", reason);
    if (expectedVersion != null) m.put("expectedVersion", expectedVersion);
    return m;
  }
}
