package com.quantumtrader.policy;

import com.quantumtrader.common.CborSerializable;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fund's global risk policy: a risk mode, its limits, and which strategies may trade.
 *
 * <p>An empty allow list means every strategy that is not blocked may trade; a non-empty one means
 * only those. A block always wins, and a strategy is never on both lists. A blocked symbol is
 * neither ranked nor traded.
 */
public record GlobalPolicy(
    RiskMode riskMode,
    Limits limits,
    SortedSet<String> allowedStrategies,
    SortedSet<String> blockedStrategies,
    SortedSet<String> blockedSymbols)
    implements CborSerializable {

  public GlobalPolicy {
    allowedStrategies = frozen(allowedStrategies);
    blockedStrategies = frozen(blockedStrategies);
    // Absent from policies written before symbols could be blocked: none blocked.
    blockedSymbols = frozen(blockedSymbols);
  }

  public GlobalPolicy(RiskMode riskMode, Limits limits, SortedSet<String> allowedStrategies, SortedSet<String> blockedStrategies) {
    this(riskMode, limits, allowedStrategies, blockedStrategies, null);
  }

  public static GlobalPolicy initial(RiskMode mode, Limits limits) {
    return new GlobalPolicy(mode, limits, null, null, null);
  }

  /** Whether the symbol may be ranked and traded under this policy. */
  public boolean permitsSymbol(String symbol) {
    return !blockedSymbols.contains(symbol);
  }

  public GlobalPolicy withSymbolBlocked(String symbol, boolean blocked) {
    TreeSet<String> s = new TreeSet<>(blockedSymbols);
    if (blocked) s.add(symbol);
    else s.remove(symbol);
    return new GlobalPolicy(riskMode, limits, allowedStrategies, blockedStrategies, s);
  }

  /** Whether signals of this strategy may be acted on under this policy. */
  public boolean permits(String strategyId) {
    return !blockedStrategies.contains(strategyId)
        && (allowedStrategies.isEmpty() || allowedStrategies.contains(strategyId));
  }

  public GlobalPolicy withRiskMode(RiskMode mode, Limits newLimits) {
    return new GlobalPolicy(mode, newLimits, allowedStrategies, blockedStrategies, blockedSymbols);
  }

  public GlobalPolicy withLimits(Limits newLimits) {
    return new GlobalPolicy(riskMode, newLimits, allowedStrategies, blockedStrategies, blockedSymbols);
  }

  public GlobalPolicy withAllowed(String id) {
    TreeSet<String> allowed = new TreeSet<>(allowedStrategies);
    allowed.add(id);
    return new GlobalPolicy(riskMode, limits, allowed, blockedStrategies, blockedSymbols);
  }

  /** Takes the strategy off the allow list. */
  public GlobalPolicy withDisallowed(String id) {
    TreeSet<String> allowed = new TreeSet<>(allowedStrategies);
    allowed.remove(id);
    return new GlobalPolicy(riskMode, limits, allowed, blockedStrategies, blockedSymbols);
  }

  /** Blocks the strategy, taking it off the allow list if it was there. */
  public GlobalPolicy withBlocked(String id) {
    TreeSet<String> allowed = new TreeSet<>(allowedStrategies);
    allowed.remove(id);
    TreeSet<String> blocked = new TreeSet<>(blockedStrategies);
    blocked.add(id);
    return new GlobalPolicy(riskMode, limits, allowed, blocked, blockedSymbols);
  }

  public GlobalPolicy withUnblocked(String id) {
    TreeSet<String> blocked = new TreeSet<>(blockedStrategies);
    blocked.remove(id);
    return new GlobalPolicy(riskMode, limits, allowedStrategies, blocked, blockedSymbols);
  }

  private static SortedSet<String> frozen(SortedSet<String> s) {
    return Collections.unmodifiableSortedSet(s == null ? new TreeSet<>() : new TreeSet<>(s));
  }
}
