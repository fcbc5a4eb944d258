package com.quantumtrader.msc;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.HealthStatus;
import com.quantumtrader.policy.RiskMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides the fund's risk mode from the regime, the node's health and an operator override, so that
 * it does not flap. Pure: the state goes in and comes out. In order:
 *
 * <ol>
 *   <li>An operator override wins until it expires.
 *   <li>Emergency: a CRISIS regime or CRITICAL health forces DEFENSIVE at once, with no dwell time
 *       and no confirmation.
 *   <li>Otherwise the regime's mode (TRENDING_UP → AGGRESSIVE, RANGING → NORMAL, TRENDING_DOWN and
 *       HIGH_VOLATILITY → DEFENSIVE) is adopted only when (a) the assessment's confidence is at least
 *       {@code minConfidence}, (b) the same target came out of {@code confirmationsToDeRisk}
 *       consecutive evaluations when it lowers risk, or {@code confirmationsToReRisk} when it raises
 *       it (hysteresis: quick to de-risk, slow to re-risk), and (c) at least {@code minDwell} has
 *       passed since the last change.
 * </ol>
 */
public final class RiskModeDecider {

  public record Rules(double minConfidence, int confirmationsToDeRisk, int confirmationsToReRisk, Duration minDwell)
      implements CborSerializable {
    public static Rules defaults() {
      return new Rules(0.6, 2, 3, Duration.ofMinutes(30));
    }
  }

  /** An operator's override: this mode, for this reason, until then. */
  public record Override(RiskMode mode, String by, String reason, Instant expiresAt) implements CborSerializable {}

  /**
   * What the decider remembers between evaluations.
   *
   * @param candidate the target seen in the last evaluations (null if none pending)
   * @param confirmations how many consecutive evaluations proposed it
   */
  public record State(RiskMode mode, Instant since, RiskMode candidate, int confirmations) implements CborSerializable {
    public static State initial(RiskMode mode, Instant at) {
      return new State(mode, at, null, 0);
    }
  }

  /** The outcome: the mode to be in, whether it changed, and why. */
  public record Decision(State state, RiskMode mode, boolean changed, boolean emergency, String reason)
      implements CborSerializable {}

  private final Rules rules;

  public RiskModeDecider(Rules rules) {
    this.rules = rules;
  }

  public static RiskMode modeFor(Regime r) {
    return switch (r) {
      case TRENDING_UP -> RiskMode.AGGRESSIVE;
      case RANGING -> RiskMode.NORMAL;
      case TRENDING_DOWN, HIGH_VOLATILITY, CRISIS -> RiskMode.DEFENSIVE;
    };
  }

  /** Lower is less risk. */
  private static int risk(RiskMode m) {
    return switch (m) {
      case DEFENSIVE -> 0;
      case NORMAL -> 1;
      case AGGRESSIVE -> 2;
    };
  }

  public Decision decide(State s, RegimeClassifier.Assessment a, HealthStatus health, Override override, Instant now) {
    if (override != null && now.isBefore(override.expiresAt())) {
      return change(s, override.mode(), now, false,
          "operator override by " + override.by() + " until " + override.expiresAt() + ": " + override.reason());
    }
    if (a.regime() == Regime.CRISIS || health == HealthStatus.CRITICAL) {
      String why = a.regime() == Regime.CRISIS
          ? "emergency: crisis regime (" + String.join("; ", a.reasons()) + ")"
          : "emergency: node health is CRITICAL";
      return change(s, RiskMode.DEFENSIVE, now, true, why);
    }
    RiskMode target = modeFor(a.regime());
    String regime = a.regime() + String.format(" (confidence %.2f): ", a.confidence()) + String.join("; ", a.reasons());
    if (target == s.mode()) {
      return new Decision(new State(s.mode(), s.since(), null, 0), s.mode(), false, false, "stays " + s.mode() + ": " + regime);
    }
    if (a.confidence() < rules.minConfidence()) {
      return new Decision(new State(s.mode(), s.since(), null, 0), s.mode(), false, false,
          "stays " + s.mode() + ": " + regime + " is not confident enough");
    }
    int confirmations = target == s.candidate() ? s.confirmations() + 1 : 1;
    int needed = risk(target) < risk(s.mode()) ? rules.confirmationsToDeRisk() : rules.confirmationsToReRisk();
    State pending = new State(s.mode(), s.since(), target, confirmations);
    if (confirmations < needed) {
      return new Decision(pending, s.mode(), false, false,
          "stays " + s.mode() + ": " + target + " seen " + confirmations + " of " + needed + " times; " + regime);
    }
    if (Duration.between(s.since(), now).compareTo(rules.minDwell()) < 0) {
      return new Decision(pending, s.mode(), false, false,
          "stays " + s.mode() + ": in it only since " + s.since() + " (minimum " + rules.minDwell().toMinutes() + " min); " + regime);
    }
    return change(s, target, now, false, regime);
  }

  private static Decision change(State s, RiskMode mode, Instant now, boolean emergency, String reason) {
    if (mode == s.mode()) return new Decision(new State(mode, s.since(), null, 0), mode, false, emergency, "stays " + mode + ": " + reason);
    return new Decision(new State(mode, now, null, 0), mode, true, emergency, s.mode() + " -> " + mode + ": " + reason);
  }
}
