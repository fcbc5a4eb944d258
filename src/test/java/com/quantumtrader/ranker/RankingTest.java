package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.quantumtrader.app.ConfigLoader;
import com.quantumtrader.common.SettingsException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class RankingTest {
  private final RankingCriteria c = RankingCriteria.defaults();

  private static SymbolScore s(String sym, double total) {
    return new SymbolScore(sym, 0, 0.5, 0.8, 0, total, 0.5, 5e7, 500, 0);
  }

  @Test
  public void ordersBestFirstAndBreaksTiesBySymbol() {
    List<SymbolScore> r = Ranking.rank(List.of(s("C", 0.2), s("B", 0.5), s("A", 0.2), s("D", -0.1)), c, x -> true, 10);
    assertEquals(List.of("B", "A", "C", "D"), r.stream().map(SymbolScore::symbol).toList());
  }

  @Test
  public void keepsTheTopN() {
    List<SymbolScore> r = Ranking.rank(List.of(s("A", 1), s("B", 2), s("C", 3)), c, x -> true, 2);
    assertEquals(List.of("C", "B"), r.stream().map(SymbolScore::symbol).toList());
    assertEquals(2, Ranking.toOpportunities(r).get(1).rank());
  }

  @Test
  public void dropsSymbolsThatFailAFilterOrAreBlocked() {
    SymbolScore warming = new SymbolScore("WARM", 0, 0.5, 0.8, 0, 0.9, 0.5, 5e7, 10, 0);
    SymbolScore thin = new SymbolScore("THIN", 0, 0.5, 0.8, 0, 0.9, 0.5, 1e3, 500, 0);
    SymbolScore illiquid = new SymbolScore("ILLIQ", 0, 0.5, 0.05, 0, 0.9, 0.5, 5e7, 500, 0);
    SymbolScore wild = new SymbolScore("WILD", 0, 0.5, 0.8, 0, 0.9, 5.0, 5e7, 500, 0);
    SymbolScore blocked = s("BLOCKED", 0.95);
    SymbolScore fine = s("FINE", 0.1);
    assertTrue(Scoring.filteredOut(warming, c).startsWith("warming up"));
    assertEquals("quote volume below minimum", Scoring.filteredOut(thin, c));
    assertEquals("liquidity below minimum", Scoring.filteredOut(illiquid, c));
    assertEquals("volatility above maximum", Scoring.filteredOut(wild, c));
    assertNull(Scoring.filteredOut(fine, c));
    Set<String> blockedSymbols = Set.of("BLOCKED");
    List<SymbolScore> r = Ranking.rank(List.of(warming, thin, illiquid, wild, blocked, fine), c, x -> !blockedSymbols.contains(x), 10);
    assertEquals(List.of("FINE"), r.stream().map(SymbolScore::symbol).toList());
  }

  @Test
  public void aSteadyUptrendOutscoresASteadyDowntrend() {
    Indicators up = new Indicators(), down = new Indicators();
    java.util.Random rnd = new java.util.Random(42);
    double pu = 100, pd = 100;
    for (int i = 0; i < 300; i++) {
      double n = rnd.nextGaussian() * 0.004;
      pu *= Math.exp(0.002 + n);
      pd *= Math.exp(-0.002 + n);
      up.update(i * 3_600_000L, pu * 1.003, pu * 0.997, pu, 5e6);
      down.update(i * 3_600_000L, pd * 1.003, pd * 0.997, pd, 5e6);
    }
    SymbolScore su = Scoring.score("UP", "1h", up, c), sd = Scoring.score("DOWN", "1h", down, c);
    assertTrue(su.trend() > 0.3 && sd.trend() < -0.3);
    assertTrue(su.performance() > 0 && sd.performance() < 0);
    assertTrue(su.total() > sd.total());
    assertEquals(su.liquidity(), sd.liquidity(), 1e-12);
  }

  @Test
  public void aSymbolWithOneBarScoresWithoutNaN() {
    Indicators one = new Indicators();
    one.update(0, 101, 99, 100, 1e6);
    SymbolScore s = Scoring.score("NEW", "1h", one, c);
    assertTrue(Double.isFinite(s.total()));
    assertEquals(0, s.performance(), 0);
    assertTrue(Scoring.filteredOut(s, c).startsWith("warming up"));
  }

  @Test
  public void weightsThatDoNotAddUpToOneAreAConfigurationError() {
    try {
      RankingCriteria.fromConfig(ConfigLoader.load(null, Map.of("QT_OPP_RANKER_TREND_WEIGHT", "0.9")));
      throw new AssertionError("accepted");
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("must add up to 1"));
    }
    assertEquals(RankingCriteria.defaults(), RankingCriteria.fromConfig(ConfigLoader.load(null, Map.of())));
  }
}
