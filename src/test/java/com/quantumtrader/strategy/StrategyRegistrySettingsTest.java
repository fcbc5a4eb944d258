package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.app.ConfigLoader;
import com.quantumtrader.common.SettingsException;
import java.time.Duration;
import java.util.Map;
import org.junit.Test;

public class StrategyRegistrySettingsTest {

  private static StrategyRegistrySettings load(Map<String, String> env) {
    return StrategyRegistrySettings.fromConfig(ConfigLoader.load(null, env));
  }

  @Test
  public void readsThePackagedDefaultsAndTheEnvironment() {
    StrategyRegistrySettings d = load(Map.of());
    assertTrue(d.enabled());
    assertEquals(Duration.ofHours(1), d.evaluationInterval());
    assertEquals(Duration.ofMinutes(1), d.firstDelay());
    assertEquals(30, d.lifecycle().minTrades());
    assertEquals(0.25, d.lifecycle().demoteMaxDrawdown(), 0);
    StrategyRegistrySettings e = load(Map.of("QT_STRATEGY_REGISTRY_EVALUATION_INTERVAL", "5m",
        "QT_STRATEGY_REGISTRY_MIN_SHARPE", "1.5", "QT_STRATEGY_REGISTRY_DECAY_MAX_DROP", "0.5"));
    assertEquals(Duration.ofMinutes(5), e.evaluationInterval());
    // never later than the interval
    assertEquals(Duration.ofSeconds(20), load(Map.of("QT_STRATEGY_REGISTRY_EVALUATION_INTERVAL", "20s")).firstDelay());
    assertEquals(Duration.ofSeconds(5), load(Map.of("QT_STRATEGY_REGISTRY_FIRST_EVALUATION_DELAY", "5s")).firstDelay());
    assertEquals(1.5, e.lifecycle().minSharpe(), 0);
    assertEquals(0.5, e.lifecycle().decayMaxDrop(), 0);
  }

  @Test
  public void rejectsAValueOutOfRangeNamingTheKeyAndItsVariable() {
    SettingsException ex = assertThrows(SettingsException.class,
        () -> load(Map.of("QT_STRATEGY_REGISTRY_MAX_DRAWDOWN", "1.5")));
    assertTrue(ex.getMessage(), ex.getMessage().contains("quantum-trader.strategy-registry.max-drawdown (QT_STRATEGY_REGISTRY_MAX_DRAWDOWN)"));
    assertThrows(SettingsException.class, () -> load(Map.of("QT_STRATEGY_REGISTRY_EVALUATION_INTERVAL", "0s")));
    assertThrows(SettingsException.class, () -> load(Map.of("QT_STRATEGY_REGISTRY_FIRST_EVALUATION_DELAY", "0s")));
  }

  @Test
  public void rejectsADemotionDrawdownBelowThePromotionOne() {
    SettingsException ex = assertThrows(SettingsException.class,
        () -> load(Map.of("QT_STRATEGY_REGISTRY_DEMOTE_MAX_DRAWDOWN", "0.1")));
    assertTrue(ex.getMessage(), ex.getMessage().contains("demote-max-drawdown (0.1) must not be below max-drawdown (0.15)"));
  }
}
