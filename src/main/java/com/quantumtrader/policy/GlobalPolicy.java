package com.quantumtrader.policy;

import com.quantumtrader.common.CborSerializable;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fund's global risk policy: a risk mode, its limits, and which strategies may trade.
 *
 * <p>An empty allow list means every strategy that is not blocked may trade; a non-empty one means
 * only those. A block always wins, and a strategy is never on both lists.
 */
public record GlobalPolicy(
    RiskMode riskMode,
    Limits limits,
    SortedSet<String> allowedStrategies,
    SortedSet<String> blockedStrategies)
    implements CborSerializable {

  public GlobalPolicy {
    allowedStrategies = frozen(allowedStrategies);
    blockedStrategies = frozen(blockedStrategies);
  }

  public static GlobalPolicy initial(RiskMode mode, Limits limits) {
    return new GlobalPolicy(mode, limits, null, null);
  }

  /** Whether signals of this strategy may be acted on under this policy. */
  public boolean permits(String strategyId) {
    return !blockedStrategies.contains(strategyId)
        && (allowedStrategies.isEmpty() || allowedStrategies.contains(strategyId));
  }

  public GlobalPolicy withRiskMode(RiskMode mode, Limits newLimits) {
    return new GlobalPolicy(mode, newLimits, allowedStrategies, blockedStrategies);
  }

  public GlobalPolicy withLimits(Limits newLimits) {
    return new GlobalPolicy(riskMode, newLimits, allowedStrategies, blockedStrategies);
  }

  public GlobalPolicy withAllowed(String id) {
    TreeSet<String> allowed = new TreeSet<>(allowedStrategies);
    allowed.add(id);
    return new GlobalPolicy(riskMode, limits, allowed, blockedStrategies);
  }

  /** Blocks the strategy, taking it off the allow list if it was there. */
  public GlobalPolicy withBlocked(String id) {
    TreeSet<String> allowed = new TreeSet<>(allowedStrategies);
    allowed.remove(id);
    TreeSet<String> blocked = new TreeSet<>(blockedStrategies);
    blocked.add(id);
    return new GlobalPolicy(riskMode, limits, allowed, blocked);
  }

  public GlobalPolicy withUnblocked(String id) {
    TreeSet<String> blocked = new TreeSet<>(blockedStrategies);
    blocked.remove(id);
    return new GlobalPolicy(riskMode, limits, allowedStrategies, blocked);
  }

  private static SortedSet<String> frozen(SortedSet<String> s) {
    return Collections.unmodifiableSortedSet(s == null ? new TreeSet<>() : new TreeSet<>(s));
  }
}
