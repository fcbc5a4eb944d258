package com.quantumtrader.policy;

import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.typesafe.config.Config;
import java.util.EnumMap;
import java.util.Map;

/** quantum-trader.policy-store */
public record PolicySettings(
    boolean enabled, RiskMode initialMode, int snapshotEvery, Map<RiskMode, Limits> presets) {

  public PolicySettings {
    presets = Map.copyOf(presets);
  }

  public Limits preset(RiskMode mode) {
    return presets.get(mode);
  }

  public GlobalPolicy initialPolicy() {
    return GlobalPolicy.initial(initialMode, preset(initialMode));
  }

  public static PolicySettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.policy-store");
    Map<RiskMode, Limits> presets = new EnumMap<>(RiskMode.class);
    for (RiskMode mode : RiskMode.values()) {
      ConfigReader p = new ConfigReader(root, "quantum-trader.policy-store.presets." + mode.name());
      Limits limits =
          new Limits(
              p.doubleIn("min-confidence", null, 0.0, 1.0, false),
              p.doubleIn("max-risk-per-trade", null, 0.0, Limits.MAX_RISK_PER_TRADE, true),
              p.intIn("max-open-positions", null, 0, Limits.MAX_OPEN_POSITIONS),
              p.doubleIn("max-gross-exposure", null, 0.0, Limits.MAX_GROSS_EXPOSURE, false));
      presets.put(mode, limits);
    }
    Limits a = presets.get(RiskMode.AGGRESSIVE), n = presets.get(RiskMode.NORMAL), d = presets.get(RiskMode.DEFENSIVE);
    if (!(a.maxRiskPerTrade() >= n.maxRiskPerTrade() && n.maxRiskPerTrade() >= d.maxRiskPerTrade())) {
      throw new SettingsException(
          "quantum-trader.policy-store.presets: max-risk-per-trade must not grow from AGGRESSIVE to NORMAL to DEFENSIVE");
    }
    return new PolicySettings(
        r.bool("enabled", "QT_POLICY_STORE_ENABLED"),
        r.enumValue("initial-mode", "QT_POLICY_INITIAL_MODE", RiskMode.class),
        r.intIn("snapshot-every", "QT_POLICY_SNAPSHOT_EVERY", 1, 1_000_000),
        presets);
  }
}
