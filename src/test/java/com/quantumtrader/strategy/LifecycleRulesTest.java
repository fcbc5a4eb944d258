package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.Limits;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.strategy.LifecycleRules.Action;
import com.quantumtrader.strategy.LifecycleRules.Decision;
import com.quantumtrader.strategy.LifecycleRules.Incumbent;
import java.util.List;
import org.junit.Test;

public class LifecycleRulesTest {
  static final LifecycleSettings SETTINGS = new LifecycleSettings(30, 14, 1.0, 0.15, 1.2, 0.2, 0.25, 14, 10, 0.0, 1.0);
  private final LifecycleRules rules = new LifecycleRules(SETTINGS);
  private static final GlobalPolicy OPEN = GlobalPolicy.initial(RiskMode.NORMAL, new Limits(0.65, 0.01, 10, 1.0));

  /** A shadow record that meets every promotion threshold. */
  static TrackRecord good() {
    return new TrackRecord(40, 20, 0.12, 1.6, 0.08, 1.5);
  }

  private static boolean mentions(Decision d, String text) {
    return d.reasons().stream().anyMatch(r -> r.contains(text));
  }

  @Test
  public void promotesAShadowRecordThatMeetsEveryThresholdWithNoIncumbent() {
    Decision d = rules.promotion("s1", good(), null, OPEN);
    assertEquals(Action.PROMOTE, d.action());
    assertTrue(d.reasons().toString(), mentions(d, "shadow trades 40 >= 30"));
    assertTrue(d.reasons().toString(), mentions(d, "shadow Sharpe 1.60 >= 1.00"));
    assertTrue(d.reasons().toString(), mentions(d, "no LIVE strategy of its template to beat"));
  }

  @Test
  public void staysWithTooFewTradesOrDaysAndSaysWhich() {
    Decision trades = rules.promotion("s1", new TrackRecord(29, 20, 0.1, 1.6, 0.08, 1.5), null, OPEN);
    assertEquals(Action.STAY, trades.action());
    assertEquals(List.of("shadow trades 29 not >= 30"), trades.reasons());
    Decision days = rules.promotion("s1", new TrackRecord(40, 13.5, 0.1, 1.6, 0.08, 1.5), null, OPEN);
    assertEquals(Action.STAY, days.action());
    assertEquals(List.of("days in shadow 13.5 not >= 14.0"), days.reasons());
  }

  @Test
  public void staysBelowTheSharpeDrawdownAndProfitFactorThresholdsListingEveryMiss() {
    Decision d = rules.promotion("s1", new TrackRecord(40, 20, 0.02, 0.8, 0.2, 1.1), null, OPEN);
    assertEquals(Action.STAY, d.action());
    assertEquals(List.of("shadow Sharpe 0.80 not >= 1.00", "shadow drawdown 20.0% not <= 15.0%",
        "shadow profit factor 1.10 not >= 1.20"), d.reasons());
    assertEquals(Action.STAY, rules.promotion("s1", new TrackRecord(40, 20, 0.1, Double.NaN, 0.05, 2), null, OPEN).action());
    assertEquals(Action.STAY, rules.promotion("s1", null, null, OPEN).action());
  }

  @Test
  public void noLosingTradeMeetsTheProfitFactorThreshold() {
    Decision d = rules.promotion("s1", new TrackRecord(40, 20, 0.1, 1.6, 0.05, Double.NaN), null, OPEN);
    assertEquals(Action.PROMOTE, d.action());
    assertTrue(mentions(d, "no losing shadow trade"));
  }

  @Test
  public void mustBeatTheIncumbentsLiveSharpeByTheMargin() {
    Decision beats = rules.promotion("s1", good(), new Incumbent("old", new TrackRecord(50, 30, 0.05, 1.3, 0.1, 1.3)), OPEN);
    assertEquals(Action.PROMOTE, beats.action());
    assertTrue(beats.reasons().toString(),
        mentions(beats, "beats incumbent old: shadow Sharpe 1.60 > its live Sharpe 1.30 + margin 0.20"));

    Decision withinMargin = rules.promotion("s1", good(), new Incumbent("old", new TrackRecord(50, 30, 0.05, 1.45, 0.1, 1.3)), OPEN);
    assertEquals(Action.STAY, withinMargin.action());
    assertEquals(List.of("beats incumbent old: shadow Sharpe 1.60 not > its live Sharpe 1.45 + margin 0.20"),
        withinMargin.reasons());

    Decision unknown = rules.promotion("s1", good(), new Incumbent("old", null), OPEN);
    assertEquals(Action.STAY, unknown.action());
    assertEquals(List.of("incumbent old has no live track record to compare with yet"), unknown.reasons());
  }

  @Test
  public void aBlockedStrategyIsNeverPromotedHoweverGoodItsRecord() {
    GlobalPolicy blocked = OPEN.withBlocked("s1");
    Decision d = rules.promotion("s1", new TrackRecord(1000, 365, 3, 4, 0.01, 5), null, blocked);
    assertEquals(Action.STAY, d.action());
    assertEquals(List.of("blocked by the policy"), d.reasons());
    assertEquals("blocked by the policy", LifecycleRules.notPermitted("s1", blocked));
  }

  /**
   * A refused strategy's record is judged all the same (would lifting the block promote it?), and the
   * unmet conditions are named without their figures: they change only when a condition flips.
   */
  @Test
  public void aRefusalIsListedFirstWithEveryOtherMissAndTheUnmetConditionsAreNamed() {
    Decision d = rules.promotion("s1", new TrackRecord(12, 20, 0.02, 0.8, 0.05, 1.5),
        new Incumbent("old", new TrackRecord(50, 30, 0.05, 1.3, 0.1, 1.3)), OPEN.withBlocked("s1"));
    assertEquals(Action.STAY, d.action());
    assertEquals(List.of("blocked by the policy", "shadow trades 12 not >= 30", "shadow Sharpe 0.80 not >= 1.00",
        "beats incumbent old: shadow Sharpe 0.80 not > its live Sharpe 1.30 + margin 0.20"), d.reasons());
    assertEquals(List.of("policy", "trades", "sharpe", "incumbent"), d.unmet());
    Decision more = rules.promotion("s1", new TrackRecord(13, 20.5, 0.03, 0.9, 0.05, 1.5),
        new Incumbent("old", new TrackRecord(50, 30, 0.05, 1.3, 0.1, 1.3)), OPEN.withBlocked("s1"));
    assertEquals("new figures, the same conditions missed", d.unmet(), more.unmet());
    assertEquals(List.of("policy", "record"), rules.promotion("s1", null, null, null).unmet());
    assertEquals(List.of(), rules.promotion("s1", good(), null, OPEN).unmet());
  }

  @Test
  public void aStrategyOffANonEmptyAllowListIsNotPromoted() {
    GlobalPolicy allowList = OPEN.withAllowed("other");
    Decision d = rules.promotion("s1", good(), null, allowList);
    assertEquals(Action.STAY, d.action());
    assertEquals(List.of("not on the policy's allow list"), d.reasons());
    assertEquals(Action.PROMOTE, rules.promotion("s1", good(), null, allowList.withAllowed("s1")).action());
    assertNull(LifecycleRules.notPermitted("s1", OPEN));
  }

  @Test
  public void withoutAKnownPolicyNothingIsPromoted() {
    Decision d = rules.promotion("s1", good(), null, null);
    assertEquals(Action.STAY, d.action());
    assertNotNull(LifecycleRules.notPermitted("s1", null));
  }

  @Test
  public void demotesOnLiveDrawdownAboveTheLimitAtOnce() {
    Decision d = rules.demotion("s1", new TrackRecord(2, 1, -0.2, -3, 0.3, 0.2), good(), null);
    assertEquals(Action.DEMOTE, d.action());
    assertEquals(List.of("live drawdown 30.0% > limit 25.0%"), d.reasons());
  }

  @Test
  public void demotesOnDecayBelowTheFloorOnceTheWindowIsCovered() {
    TrackRecord weak = new TrackRecord(12, 15, -0.03, -0.4, 0.1, 0.8);
    Decision d = rules.demotion("s1", weak, null, null);
    assertEquals(Action.DEMOTE, d.action());
    assertEquals(List.of("decay: live Sharpe -0.40 over 15.0 days < floor 0.00"), d.reasons());

    Decision early = rules.demotion("s1", new TrackRecord(12, 7, -0.03, -0.4, 0.1, 0.8), null, null);
    assertEquals(Action.STAY, early.action());
    assertTrue(early.reasons().toString(), mentions(early, "decay not judged yet: 7.0 of 14.0 days, 12 of 10 trades"));
    assertEquals(Action.STAY, rules.demotion("s1", new TrackRecord(5, 30, -0.03, -0.4, 0.1, 0.8), null, null).action());
  }

  @Test
  public void demotesOnADropVersusItsShadowSharpe() {
    Decision d = rules.demotion("s1", new TrackRecord(20, 20, 0.01, 0.5, 0.05, 1.1), good(), null);
    assertEquals(Action.DEMOTE, d.action());
    assertEquals(List.of("decay: live Sharpe 0.50 is 1.10 below its shadow Sharpe 1.60 (limit 1.00)"), d.reasons());
    Decision fine = rules.demotion("s1", new TrackRecord(20, 20, 0.05, 1.2, 0.05, 1.4), good(), null);
    assertEquals(Action.STAY, fine.action());
    assertTrue(fine.reasons().toString(), mentions(fine, "live Sharpe 1.20 >= floor 0.00, within 1.00 of its shadow Sharpe 1.60"));
    assertEquals(Action.STAY, rules.demotion("s1", null, good(), null).action());
  }

  /**
   * A LIVE strategy the policy blocks, or leaves off its allow list, is demoted at once whatever its
   * record (the risk gate refuses all its entries): "live strategies" then names only those that trade.
   * An unknown policy demotes nothing.
   */
  @Test
  public void aLiveStrategyTheBlockOrAllowListRefusesIsDemoted() {
    TrackRecord fine = new TrackRecord(20, 20, 0.05, 1.2, 0.05, 1.4);
    Decision blocked = rules.demotion("s1", fine, good(), OPEN.withBlocked("s1"));
    assertEquals(Action.DEMOTE, blocked.action());
    assertEquals(List.of("blocked by the policy"), blocked.reasons());
    Decision notAllowed = rules.demotion("s1", null, null, OPEN.withAllowed("other"));
    assertEquals(Action.DEMOTE, notAllowed.action());
    assertEquals(List.of("not on the policy's allow list"), notAllowed.reasons());
    assertEquals(Action.STAY, rules.demotion("s1", fine, good(), OPEN.withAllowed("s1")).action());
    assertEquals(Action.STAY, rules.demotion("s1", fine, good(), OPEN.withBlocked("other")).action());
    assertEquals(Action.STAY, rules.demotion("s1", fine, good(), null).action());
  }

  /**
   * A live Sharpe not known yet (a book resumed from a record journaled before books kept daily
   * returns, or under two whole days of them) judges no decay, whatever the days and trades covered:
   * on an upgrade every LIVE strategy read NaN and was demoted. A shadow Sharpe of per-trade returns
   * (journaled before) is not compared with a daily live one.
   */
  @Test
  public void anUnknownLiveSharpeOrAShadowSharpeOfAnotherKindDemotesNothing() {
    Decision unknown = rules.demotion("s1", new TrackRecord(40, 60, 0.05, Double.NaN, 0.05, 1.4), good(), OPEN);
    assertEquals(Action.STAY, unknown.action());
    assertTrue(unknown.reasons().toString(), mentions(unknown, "decay not judged yet: the live Sharpe is not known yet"));
    TrackRecord perTrade = new TrackRecord(30, 20, 0.2, 27.09, 0.05, 3.0, false); // as promoted before the change
    Decision d = rules.demotion("s1", new TrackRecord(40, 60, 0.05, 1.2, 0.05, 1.4), perTrade, OPEN);
    assertEquals(Action.STAY, d.action());
    assertTrue(d.reasons().toString(), mentions(d, "live Sharpe 1.20 >= floor 0.00"));
    // the same shadow Sharpe of daily returns is compared, and the drop demotes
    assertEquals(Action.DEMOTE, rules.demotion("s1", new TrackRecord(40, 60, 0.05, 1.2, 0.05, 1.4),
        new TrackRecord(30, 20, 0.2, 27.09, 0.05, 3.0), OPEN).action());
  }

  @Test
  public void inconsistentThresholdsAreReported() {
    assertTrue(SETTINGS.inconsistencies().isEmpty());
    LifecycleSettings bad = new LifecycleSettings(30, 14, 1.0, 0.15, 1.2, 0.2, 0.1, 14, 10, 1.5, 1.0);
    assertEquals(2, bad.inconsistencies().size());
  }
}
