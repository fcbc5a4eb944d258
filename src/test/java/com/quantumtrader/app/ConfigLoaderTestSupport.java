package com.quantumtrader.app;

import com.typesafe.config.Config;
import java.util.Map;

final class ConfigLoaderTestSupport {
  private ConfigLoaderTestSupport() {}

  static Config env(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }
}
