package com.quantumtrader.api;

import com.quantumtrader.common.ConfigReader;
import com.typesafe.config.Config;
import java.nio.file.Path;

/** quantum-trader.api and quantum-trader.management. */
public record ApiSettings(boolean enabled, String host, int port, Tokens tokens, int maxBodyBytes,
    boolean managementEnabled, String managementHost, int managementPort) {

  public static ApiSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.api");
    ConfigReader m = new ConfigReader(root, "quantum-trader.management");
    String file = r.string("tokens-file", "QT_API_TOKENS_FILE").trim();
    return new ApiSettings(
        r.bool("enabled", "QT_API_ENABLED"),
        host(r, "QT_API_HOST"),
        r.intIn("port", "QT_API_PORT", 0, 65535),
        Tokens.load(r.string("tokens", "QT_API_TOKENS"), file.isEmpty() ? null : Path.of(file)),
        r.intIn("max-body-bytes", "QT_API_MAX_BODY_BYTES", 256, 64 * 1024 * 1024),
        m.bool("enabled", "QT_MANAGEMENT_ENABLED"),
        host(m, "QT_MANAGEMENT_HOST"),
        m.intIn("port", "QT_MANAGEMENT_PORT", 0, 65535));
  }

  private static String host(ConfigReader r, String env) {
    String h = r.string("host", env).trim();
    if (h.isEmpty()) throw r.error("host", env, "must be an interface address such as 127.0.0.1 or 0.0.0.0");
    return h;
  }

  /** Never shows the tokens. */
  @Override
  public String toString() {
    return "ApiSettings[" + host + ":" + port + ", " + tokens.size() + " tokens, management " + managementHost + ":" + managementPort + "]";
  }
}
