package com.quantumtrader.msc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.msc.RegimeClassifier.Assessment;
import com.quantumtrader.msc.RiskModeDecider.Decision;
import com.quantumtrader.msc.RiskModeDecider.Override;
import com.quantumtrader.msc.RiskModeDecider.State;
import com.quantumtrader.policy.RiskMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class RegimeAndRiskModeTest {
  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private final RegimeClassifier classifier = new RegimeClassifier(RegimeClassifier.Thresholds.defaults());
  private final RiskModeDecider decider = new RiskModeDecider(RiskModeDecider.Rules.defaults());

  private static MarketAnalysis market(double breadth, double strength, double indexVol, double drawdown) {
    return new MarketAnalysis(T0, 100, breadth, strength, 0.5, indexVol, drawdown);
  }

  private static Assessment sure(Regime r) {
    return new Assessment(r, 0.9, List.of("constructed"));
  }

  // --- classification ------------------------------------------------------------------------

  @Test
  public void classifiesEachRegimeFromItsMarket() {
    assertEquals(Regime.TRENDING_UP, classifier.classify(market(0.8, 0.4, 0.4, 0.02)).regime());
    assertEquals(Regime.TRENDING_DOWN, classifier.classify(market(0.2, 0.4, 0.4, 0.05)).regime());
    assertEquals(Regime.RANGING, classifier.classify(market(0.5, 0.1, 0.3, 0.01)).regime());
    assertEquals(Regime.RANGING, classifier.classify(market(0.8, 0.1, 0.3, 0.01)).regime()); // broad but weak
    assertEquals(Regime.HIGH_VOLATILITY, classifier.classify(market(0.5, 0.3, 1.2, 0.05)).regime());
    assertEquals(Regime.CRISIS, classifier.classify(market(0.1, 0.6, 0.5, 0.20)).regime());
    assertEquals(Regime.CRISIS, classifier.classify(market(0.3, 0.3, 1.1, 0.09)).regime()); // half the drawdown, but wild
    assertEquals(Regime.RANGING, classifier.classify(new MarketAnalysis(T0, 0, 0, 0, 0, 0, 0)).regime());
  }

  @Test
  public void confidenceGrowsWithTheMarginPastTheThreshold() {
    Assessment barely = classifier.classify(market(0.61, 0.21, 0.3, 0.0));
    Assessment clearly = classifier.classify(market(0.95, 0.6, 0.3, 0.0));
    assertEquals(Regime.TRENDING_UP, barely.regime());
    assertTrue(barely.confidence() < 0.55);
    assertTrue(clearly.confidence() > 0.75);
    assertTrue(clearly.confidence() <= 1.0);
    assertFalse(clearly.reasons().isEmpty());
  }

  // --- decisions --------------------------------------------------------------------------------

  @Test
  public void deRisksAfterTwoConfirmationsAndReRisksOnlyAfterThree() {
    State s = State.initial(RiskMode.NORMAL, T0);
    Instant t = T0.plus(Duration.ofHours(1)); // past the dwell time
    Decision d1 = decider.decide(s, sure(Regime.HIGH_VOLATILITY), HealthStatus.HEALTHY, null, t);
    assertFalse(d1.changed());
    Decision d2 = decider.decide(d1.state(), sure(Regime.HIGH_VOLATILITY), HealthStatus.HEALTHY, null, t.plusSeconds(60));
    assertTrue(d2.changed());
    assertEquals(RiskMode.DEFENSIVE, d2.mode());
    assertFalse(d2.emergency());

    Instant later = t.plus(Duration.ofHours(1));
    Decision u = d2;
    for (int i = 1; i <= 2; i++) {
      u = decider.decide(u.state(), sure(Regime.TRENDING_UP), HealthStatus.HEALTHY, null, later.plusSeconds(i * 60));
      assertFalse("re-risking needs three confirmations, had " + i, u.changed());
    }
    u = decider.decide(u.state(), sure(Regime.TRENDING_UP), HealthStatus.HEALTHY, null, later.plusSeconds(180));
    assertTrue(u.changed());
    assertEquals(RiskMode.AGGRESSIVE, u.mode());
  }

  @Test
  public void aFlickeringSignalNeverFlipsTheMode() {
    State s = State.initial(RiskMode.NORMAL, T0);
    Decision d = null;
    Instant t = T0.plus(Duration.ofHours(2));
    for (int i = 0; i < 50; i++) {
      Regime r = i % 2 == 0 ? Regime.HIGH_VOLATILITY : Regime.TRENDING_UP;
      d = decider.decide(d == null ? s : d.state(), sure(r), HealthStatus.HEALTHY, null, t.plusSeconds(i * 60));
      assertFalse("flipped at evaluation " + i + ": " + d.reason(), d.changed());
    }
    assertEquals(RiskMode.NORMAL, d.mode());
  }

  @Test
  public void waitsTheMinimumDwellTimeBeforeAnOrdinaryChange() {
    State s = State.initial(RiskMode.NORMAL, T0);
    Instant soon = T0.plus(Duration.ofMinutes(10));
    Decision d1 = decider.decide(s, sure(Regime.TRENDING_DOWN), HealthStatus.HEALTHY, null, soon);
    Decision d2 = decider.decide(d1.state(), sure(Regime.TRENDING_DOWN), HealthStatus.HEALTHY, null, soon.plusSeconds(60));
    assertFalse(d2.changed());
    assertTrue(d2.reason(), d2.reason().contains("minimum 30 min"));
    Decision d3 = decider.decide(d2.state(), sure(Regime.TRENDING_DOWN), HealthStatus.HEALTHY, null, T0.plus(Duration.ofMinutes(31)));
    assertTrue(d3.changed());
    assertEquals(RiskMode.DEFENSIVE, d3.mode());
  }

  @Test
  public void ignoresAnUnconfidentAssessment() {
    State s = State.initial(RiskMode.NORMAL, T0);
    Assessment weak = new Assessment(Regime.TRENDING_UP, 0.55, List.of("barely"));
    Decision d = null;
    for (int i = 0; i < 5; i++) {
      d = decider.decide(d == null ? s : d.state(), weak, HealthStatus.HEALTHY, null, T0.plus(Duration.ofHours(1 + i)));
      assertFalse(d.changed());
    }
  }

  @Test
  public void aCrisisOrCriticalHealthForcesDefensiveAtOnce() {
    State justChanged = State.initial(RiskMode.AGGRESSIVE, T0);
    Decision crisis = decider.decide(justChanged, sure(Regime.CRISIS), HealthStatus.HEALTHY, null, T0.plusSeconds(5));
    assertTrue("no dwell, no confirmation", crisis.changed());
    assertEquals(RiskMode.DEFENSIVE, crisis.mode());
    assertTrue(crisis.emergency());
    assertTrue(crisis.reason(), crisis.reason().contains("crisis"));

    Decision critical = decider.decide(justChanged, sure(Regime.TRENDING_UP), HealthStatus.CRITICAL, null, T0.plusSeconds(5));
    assertTrue(critical.changed());
    assertEquals(RiskMode.DEFENSIVE, critical.mode());
    assertTrue(critical.reason(), critical.reason().contains("CRITICAL"));
  }

  @Test
  public void anOverrideWinsUntilItExpires() {
    State s = State.initial(RiskMode.NORMAL, T0);
    Override o = new Override(RiskMode.AGGRESSIVE, "alice", "earnings season", T0.plus(Duration.ofHours(4)));
    Decision d = decider.decide(s, sure(Regime.CRISIS), HealthStatus.CRITICAL, o, T0.plusSeconds(1));
    assertTrue(d.changed());
    assertEquals(RiskMode.AGGRESSIVE, d.mode());
    assertTrue(d.reason(), d.reason().contains("override by alice"));
    Decision still = decider.decide(d.state(), sure(Regime.HIGH_VOLATILITY), HealthStatus.HEALTHY, o, T0.plus(Duration.ofHours(3)));
    assertFalse(still.changed());
    assertEquals(RiskMode.AGGRESSIVE, still.mode());
    // Expired: the market decides again (a crisis acts at once).
    Decision after = decider.decide(still.state(), sure(Regime.CRISIS), HealthStatus.HEALTHY, o, T0.plus(Duration.ofHours(4)));
    assertTrue(after.changed());
    assertEquals(RiskMode.DEFENSIVE, after.mode());
  }
}
