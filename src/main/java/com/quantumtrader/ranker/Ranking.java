package com.quantumtrader.ranker;

import com.quantumtrader.bus.OpportunitiesUpdated;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Ranks symbols by score: filters, policy blocklist, deterministic order. Pure. */
public final class Ranking {
  private Ranking() {}

  /** Best first; equal totals in symbol order, so a ranking never flips on ties. */
  public static final Comparator<SymbolScore> ORDER =
      Comparator.comparingDouble(SymbolScore::total).reversed().thenComparing(SymbolScore::symbol);

  public static List<SymbolScore> rank(
      Collection<SymbolScore> scores, RankingCriteria criteria, Predicate<String> symbolPermitted, int topN) {
    List<SymbolScore> ok = new ArrayList<>();
    for (SymbolScore s : scores) {
      if (Scoring.filteredOut(s, criteria) == null && symbolPermitted.test(s.symbol())) ok.add(s);
    }
    ok.sort(ORDER);
    return ok.size() > topN ? new ArrayList<>(ok.subList(0, topN)) : ok;
  }

  public static List<OpportunitiesUpdated.Opportunity> toOpportunities(List<SymbolScore> ranked) {
    List<OpportunitiesUpdated.Opportunity> out = new ArrayList<>(ranked.size());
    for (int i = 0; i < ranked.size(); i++) {
      SymbolScore s = ranked.get(i);
      out.add(new OpportunitiesUpdated.Opportunity(s.symbol(), i + 1, s.total(), s.trend(), s.volatility(), s.liquidity(), s.performance()));
    }
    return out;
  }
}
