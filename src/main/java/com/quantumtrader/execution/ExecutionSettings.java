package com.quantumtrader.execution;

import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.strategy.FillRules;
import com.quantumtrader.strategy.StrategySpec;
import com.quantumtrader.strategy.Template;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** quantum-trader.execution: the paper book, its costs, the live strategy instances and the mode presets. */
public record ExecutionSettings(
    boolean enabled,
    double initialCapital,
    double feeRate,
    double slippage,
    Duration markInterval,
    Duration summaryInterval,
    Duration orderReplyTimeout,
    List<StrategySpec> strategies,
    Map<RiskMode, Orchestrator.ModePreset> presets) {

  public static final String SECTION = "quantum-trader.execution";

  public PaperBroker.Settings broker() {
    return new PaperBroker.Settings(initialCapital, feeRate, slippage, markInterval, summaryInterval);
  }

  public Orchestrator.Settings orchestrator(Duration askTimeout) {
    return new Orchestrator.Settings(strategies, presets, new FillRules.Costs(feeRate, slippage), askTimeout, Duration.ofSeconds(60),
        orderReplyTimeout);
  }

  public static ExecutionSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, SECTION);
    Map<RiskMode, Orchestrator.ModePreset> presets = new EnumMap<>(RiskMode.class);
    for (RiskMode m : RiskMode.values()) {
      ConfigReader p = new ConfigReader(root, SECTION + ".modes." + m.name());
      presets.put(m, new Orchestrator.ModePreset(p.bool("open-new", "QT_EXECUTION_" + m.name() + "_OPEN_NEW"),
          p.doubleIn("tighten-stop-atr", "QT_EXECUTION_" + m.name() + "_TIGHTEN_STOP_ATR", 0, 100, false)));
    }
    return new ExecutionSettings(
        r.bool("enabled", "QT_EXECUTION_ENABLED"),
        r.doubleIn("initial-capital", "QT_EXECUTION_INITIAL_CAPITAL", 0, 1e15, true),
        r.doubleIn("fee-rate", "QT_EXECUTION_FEE_RATE", 0, 0.1, false),
        r.doubleIn("slippage", "QT_EXECUTION_SLIPPAGE", 0, 0.1, false),
        r.positiveDuration("mark-interval", "QT_EXECUTION_MARK_INTERVAL"),
        r.positiveDuration("summary-interval", "QT_EXECUTION_SUMMARY_INTERVAL"),
        r.positiveDuration("order-reply-timeout", "QT_EXECUTION_ORDER_REPLY_TIMEOUT"),
        strategies(r),
        presets);
  }

  /**
   * {@code strategies = [ { id = "...", template = TREND_EMA_CROSS, params { fast = 10 } } ]}: each
   * param not named keeps the template's default; ids are unique.
   */
  private static List<StrategySpec> strategies(ConfigReader r) {
    List<StrategySpec> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<? extends Config> list;
    try {
      list = r.config().getConfigList("strategies");
    } catch (ConfigException e) {
      throw new SettingsException(SECTION + ".strategies: must be a list of { id, template, params }");
    }
    for (Config c : list) {
      String where = SECTION + ".strategies";
      try {
        String id = c.getString("id").trim();
        // The rule the configuration has always had, so that a node that ran with an id never fails to
        // start on it after an upgrade; an id that does not start with a letter or digit cannot be named
        // in the policy's lists (nor registered through the API), so the node warns of it at start.
        if (id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._:-]+")) {
          throw new SettingsException(where + ": id \"" + id + "\" must be 1-64 characters of letters, digits and . _ : -");
        }
        if (!ids.add(id)) throw new SettingsException(where + ": id " + id + " is used twice");
        Template t;
        try {
          t = Template.valueOf(c.getString("template").trim());
        } catch (IllegalArgumentException e) {
          throw new SettingsException(where + " (" + id + "): template must be one of " + java.util.Arrays.toString(Template.values()));
        }
        double[] p = t.defaults();
        if (c.hasPath("params")) {
          for (Map.Entry<String, ConfigValue> e : c.getConfig("params").root().entrySet()) {
            int i;
            try {
              i = t.indexOf(e.getKey());
            } catch (IllegalArgumentException unknown) {
              throw new SettingsException(where + " (" + id + "): " + unknown.getMessage());
            }
            p[i] = c.getConfig("params").getDouble(e.getKey());
          }
        }
        try {
          out.add(new StrategySpec(id, t, p));
        } catch (IllegalArgumentException e) {
          throw new SettingsException(where + " (" + id + "): " + e.getMessage());
        }
      } catch (ConfigException e) {
        throw new SettingsException(where + ": " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
