package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.OpportunitiesUpdated;
import com.quantumtrader.testsupport.TestNodes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** What the aggregator publishes: the top N, and an empty top once no scored symbol passes the filters. */
public class RankingAggregatorTest {
  private static final Duration T = Duration.ofSeconds(10);
  private ActorTestKit kit;

  @Before
  public void start() {
    kit = ActorTestKit.create("QuantumTrader", TestNodes.local());
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  private static SymbolScore score(String symbol, double annualizedVol) {
    return new SymbolScore(symbol, 0.5, 0.5, 0.5, 0.1, 0.4, annualizedVol, 5_000_000, 500, 1_700_000_000_000L);
  }

  /**
   * A symbol that passes is published; when its volatility goes past the maximum (a crash), the
   * top is published empty, so that the orchestrator stops opening positions on it.
   */
  @Test
  public void anEmptyTopIsPublishedWhenNoScoredSymbolPasses() {
    TestProbe<Delivery> events = kit.createTestProbe();
    EventBus.get(kit.system()).subscribe("test", Set.of(EventType.OPPORTUNITIES_UPDATED), events.getRef());
    RankerSettings settings = new RankerSettings(5, Duration.ofHours(1), RankingCriteria.defaults(), 100, Duration.ofHours(1));
    ActorRef<RankingAggregator.Command> agg = kit.spawn(RankingAggregator.create(settings, null));
    TestProbe<RankingAggregator.RankingView> reply = kit.createTestProbe();

    // nothing scored yet: nothing to say
    agg.tell(new RankingAggregator.PublishNow(reply.getRef()));
    assertEquals(0, reply.receiveMessage(T).symbolsScored());
    events.expectNoMessage(Duration.ofMillis(500));

    agg.tell(new RankingAggregator.ScoreUpdated(score("SOLUSDT", 0.8)));
    agg.tell(new RankingAggregator.PublishNow(reply.getRef()));
    assertEquals(1, reply.receiveMessage(T).top().size());
    assertEquals(List.of("SOLUSDT"), symbols(events.receiveMessage(T)));

    agg.tell(new RankingAggregator.ScoreUpdated(score("SOLUSDT", 9.0))); // past the 3.0 maximum
    agg.tell(new RankingAggregator.PublishNow(reply.getRef()));
    RankingAggregator.RankingView view = reply.receiveMessage(T);
    assertTrue(view.top().isEmpty());
    assertEquals(1, view.symbolsScored());
    assertEquals(List.of(), symbols(events.receiveMessage(T)));
  }

  private static List<String> symbols(Delivery d) {
    d.ack();
    return ((OpportunitiesUpdated) d.event().payload()).top().stream().map(OpportunitiesUpdated.Opportunity::symbol).toList();
  }
}
