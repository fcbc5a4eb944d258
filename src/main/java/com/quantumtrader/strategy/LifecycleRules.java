package com.quantumtrader.strategy;

import com.quantumtrader.policy.GlobalPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a strategy is promoted from shadow to live, and when a live one is demoted. Pure: the registry
 * calls it with the records it holds and the current policy.
 *
 * <p>Promotion needs every one of: permitted by the policy (not blocked; on the allow list when
 * there is one), enough shadow trades and days, shadow Sharpe, drawdown and profit factor within the
 * thresholds, and a shadow Sharpe above the incumbent's live Sharpe plus a margin. The incumbent is
 * the LIVE strategy of the same template it would replace; a strategy is not promoted over an
 * incumbent whose live record is not known yet, since nothing says it would do better. (The
 * registry judges its SHADOW strategies best shadow Sharpe first, so of several challengers of one
 * template the best goes live.)
 *
 * <p>Demotion: blocked by the policy or off its allow list; a live drawdown above the limit at once;
 * decay, once the live record covers the decay window and enough trades, when the live Sharpe falls
 * below a floor or drops too far below the strategy's own shadow Sharpe.
 */
public final class LifecycleRules {

  public enum Action {
    PROMOTE,
    STAY,
    DEMOTE
  }

  /**
   * The action and why, in words an operator reads in the history and in {@code strategy.promoted}.
   * {@code unmet} names the conditions a promotion missed, without their figures ({@code policy},
   * {@code record}, {@code trades}, {@code days}, {@code sharpe}, {@code drawdown}, {@code
   * profit-factor}, {@code incumbent}): it changes only when a condition is met or missed anew, where
   * the reasons change with every report.
   */
  public record Decision(Action action, List<String> reasons, List<String> unmet) {
    public Decision {
      reasons = List.copyOf(reasons);
      unmet = List.copyOf(unmet);
    }

    public Decision(Action action, List<String> reasons) {
      this(action, reasons, List.of());
    }
  }

  /** The LIVE strategy a promotion would replace, with its live record (null when none is known yet). */
  public record Incumbent(String strategyId, TrackRecord live) {}

  private final LifecycleSettings s;

  public LifecycleRules(LifecycleSettings settings) {
    this.s = settings;
  }

  public LifecycleSettings settings() {
    return s;
  }

  /**
   * Why the policy does not let this strategy go live, or null when it does. A null policy (none
   * known) permits nothing.
   */
  public static String notPermitted(String strategyId, GlobalPolicy policy) {
    if (policy == null) return "no policy is known: nothing is promoted until the Policy Store answers";
    if (policy.blockedStrategies().contains(strategyId)) return "blocked by the policy";
    if (!policy.permits(strategyId)) return "not on the policy's allow list";
    return null;
  }

  /**
   * Whether a SHADOW strategy goes live.
   *
   * @param shadow its shadow record (null: none reported yet)
   * @param incumbent what it would replace (null: no LIVE strategy of its template)
   * @param policy the current policy (null: unknown, nothing is promoted)
   */
  public Decision promotion(String strategyId, TrackRecord shadow, Incumbent incumbent, GlobalPolicy policy) {
    List<String> met = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    List<String> unmet = new ArrayList<>();
    // The policy's refusal comes first; the record is judged all the same, so that an operator sees
    // whether lifting a block would promote the strategy.
    String refused = notPermitted(strategyId, policy);
    if (refused != null) {
      missed.add(refused);
      unmet.add("policy");
    }
    if (shadow == null) {
      missed.add("no shadow track record reported yet");
      unmet.add("record");
      return new Decision(Action.STAY, missed, unmet);
    }
    check(shadow.trades() >= s.minTrades(), "trades", "shadow trades " + shadow.trades(), ">=", Integer.toString(s.minTrades()),
        met, missed, unmet);
    check(shadow.days() >= s.minDays(), "days", "days in shadow " + f1(shadow.days()), ">=", f1(s.minDays()), met, missed, unmet);
    check(shadow.sharpe() >= s.minSharpe(), "sharpe", "shadow Sharpe " + f2(shadow.sharpe()), ">=", f2(s.minSharpe()),
        met, missed, unmet);
    check(shadow.maxDrawdown() <= s.maxDrawdown(), "drawdown", "shadow drawdown " + pct(shadow.maxDrawdown()), "<=",
        pct(s.maxDrawdown()), met, missed, unmet);
    if (Double.isNaN(shadow.profitFactor())) {
      if (shadow.trades() > 0) {
        met.add("no losing shadow trade (profit factor unbounded)");
      } else {
        missed.add("profit factor undefined without trades");
        unmet.add("profit-factor");
      }
    } else {
      check(shadow.profitFactor() >= s.minProfitFactor(), "profit-factor", "shadow profit factor " + f2(shadow.profitFactor()),
          ">=", f2(s.minProfitFactor()), met, missed, unmet);
    }
    if (incumbent == null) {
      met.add("no LIVE strategy of its template to beat");
    } else if (incumbent.live() == null) {
      missed.add("incumbent " + incumbent.strategyId() + " has no live track record to compare with yet");
      unmet.add("incumbent");
    } else {
      double bar = incumbent.live().sharpe() + s.incumbentMargin();
      // An undefined live Sharpe (no variance, e.g. no trades) is beaten by any defined one above the margin.
      if (Double.isNaN(incumbent.live().sharpe())) bar = s.incumbentMargin();
      check(shadow.sharpe() > bar, "incumbent", "beats incumbent " + incumbent.strategyId() + ": shadow Sharpe "
          + f2(shadow.sharpe()), ">", "its live Sharpe " + f2(incumbent.live().sharpe()) + " + margin "
          + f2(s.incumbentMargin()), met, missed, unmet);
    }
    return missed.isEmpty() ? new Decision(Action.PROMOTE, met) : new Decision(Action.STAY, missed, unmet);
  }

  /**
   * Whether a LIVE strategy is demoted.
   *
   * @param live its live record over the trailing window (null: none reported yet)
   * @param shadow the shadow record it was promoted on (null: none, e.g. configured strategies)
   * @param policy the current policy (null: unknown; then the policy demotes nothing, so that a
   *     Policy Store that does not answer does not empty the fund)
   */
  public Decision demotion(String strategyId, TrackRecord live, TrackRecord shadow, GlobalPolicy policy) {
    // Blocked, or off the allow list: the risk gate refuses all its entries, so it is not LIVE any more
    // (it keeps its exits while it holds positions, as every demoted strategy does).
    if (policy != null) {
      String refused = notPermitted(strategyId, policy);
      if (refused != null) return new Decision(Action.DEMOTE, List.of(refused));
    }
    if (live == null) return new Decision(Action.STAY, List.of("no live track record reported yet"));
    if (live.maxDrawdown() > s.demoteMaxDrawdown()) {
      return new Decision(Action.DEMOTE, List.of("live drawdown " + pct(live.maxDrawdown()) + " > limit "
          + pct(s.demoteMaxDrawdown())));
    }
    List<String> ok = new ArrayList<>();
    ok.add("live drawdown " + pct(live.maxDrawdown()) + " <= limit " + pct(s.demoteMaxDrawdown()));
    if (live.days() < s.decayWindowDays() || live.trades() < s.decayMinTrades()) {
      ok.add("decay not judged yet: " + f1(live.days()) + " of " + f1(s.decayWindowDays()) + " days, " + live.trades()
          + " of " + s.decayMinTrades() + " trades");
      return new Decision(Action.STAY, ok);
    }
    if (Double.isNaN(live.sharpe())) {
      // not known yet (under two whole days of daily returns; a book resumed from a record journaled
      // before books kept them counts them from its resumption): nothing to judge decay on
      ok.add("decay not judged yet: the live Sharpe is not known yet (under two whole days of daily returns)");
      return new Decision(Action.STAY, ok);
    }
    List<String> decay = new ArrayList<>();
    if (!(live.sharpe() >= s.decaySharpeFloor())) {
      decay.add("decay: live Sharpe " + f2(live.sharpe()) + " over " + f1(live.days()) + " days < floor "
          + f2(s.decaySharpeFloor()));
    }
    // a shadow Sharpe journaled before books kept daily returns is of per-trade returns: not comparable
    boolean comparable = shadow != null && shadow.dailySharpe() && !Double.isNaN(shadow.sharpe());
    if (comparable && shadow.sharpe() - live.sharpe() > s.decayMaxDrop()) {
      decay.add("decay: live Sharpe " + f2(live.sharpe()) + " is " + f2(shadow.sharpe() - live.sharpe())
          + " below its shadow Sharpe " + f2(shadow.sharpe()) + " (limit " + f2(s.decayMaxDrop()) + ")");
    }
    if (!decay.isEmpty()) return new Decision(Action.DEMOTE, decay);
    ok.add("live Sharpe " + f2(live.sharpe()) + " >= floor " + f2(s.decaySharpeFloor())
        + (comparable ? ", within " + f2(s.decayMaxDrop()) + " of its shadow Sharpe " + f2(shadow.sharpe()) : ""));
    return new Decision(Action.STAY, ok);
  }

  private static void check(boolean ok, String key, String what, String op, String limit, List<String> met,
      List<String> missed, List<String> unmet) {
    if (ok) {
      met.add(what + " " + op + " " + limit);
    } else {
      missed.add(what + " not " + op + " " + limit);
      unmet.add(key);
    }
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", v * 100);
  }
}
