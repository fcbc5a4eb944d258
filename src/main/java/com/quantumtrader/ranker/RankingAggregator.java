package com.quantumtrader.ranker;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.OpportunitiesUpdated;
import com.quantumtrader.bus.PolicyUpdated;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.PolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the latest score of every symbol from the ranker workers (on any node), drops those
 * that fail the filters or that the Policy Store blocks, ranks them, and publishes {@code
 * opportunities.updated} with the top N every {@code update-interval} and on demand. One per
 * cluster (a singleton).
 *
 * <p>Its state is derived: after a fail-over it is rebuilt from the workers, which report their
 * score at most every 250 ms while bars arrive and, when idle, every {@code checkpoint-interval}.
 */
public final class RankingAggregator {
  private RankingAggregator() {}

  public static final String SOURCE = "opportunity-ranker";

  public sealed interface Command extends CborSerializable {}

  /** A worker's latest score (workers report at most every 250 ms, and when idle every checkpoint-interval). */
  public record ScoreUpdated(SymbolScore score) implements Command {}

  public record GetRanking(ActorRef<RankingView> replyTo) implements Command {}

  /** Ranks and publishes now, and replies with what it published. */
  public record PublishNow(ActorRef<RankingView> replyTo) implements Command {}

  /** Replies with the best {@code n} ranked symbols (n may exceed the published top N). */
  public record GetTop(int n, ActorRef<RankingView> replyTo) implements Command {}

  /** Replies with the latest score of every symbol (ranked or not, blocked or not). */
  public record GetAllScores(ActorRef<AllScores> replyTo) implements Command {}

  public record AllScores(List<SymbolScore> scores) implements CborSerializable {
    public AllScores {
      scores = List.copyOf(scores);
    }
  }

  public record GetSymbolScore(String symbol, ActorRef<SymbolScoreReply> replyTo) implements Command {}

  /**
   * @param top the ranking, best first
   * @param symbolsScored symbols with a score
   * @param symbolsRanked symbols that passed the filters and the policy
   */
  public record RankingView(List<SymbolScore> top, int symbolsScored, int symbolsRanked, Instant asOf)
      implements CborSerializable {}

  /**
   * @param score null when the symbol is unknown
   * @param excludedBecause why it is not ranked (a filter, or "blocked by policy"), null if it is
   */
  public record SymbolScoreReply(String symbol, SymbolScore score, String excludedBecause) implements CborSerializable {}

  public enum Stop implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private record PolicyDelivery(Delivery delivery) implements Command {}

  private record PolicyLoaded(GlobalPolicy policy) implements Command {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(behavior, "ranking-aggregator").withStopMessage(Stop.INSTANCE));
  }

  /** @param policyStore where the initial policy comes from (null: no Policy Store, nothing blocked) */
  public static Behavior<Command> create(RankerSettings settings, ActorRef<PolicyStore.Command> policyStore) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Aggregator(ctx, timers, settings, policyStore)));
  }

  private static final class Aggregator extends AbstractBehavior<Command> {
    private final RankerSettings settings;
    private final EventBus bus;
    private final Map<String, SymbolScore> latest = new HashMap<>();
    private Set<String> blocked = Set.of();
    private List<String> lastTop = List.of();

    Aggregator(ActorContext<Command> ctx, TimerScheduler<Command> timers, RankerSettings settings,
        ActorRef<PolicyStore.Command> policyStore) {
      super(ctx);
      ctx.setLoggerName(RankingAggregator.class);
      this.settings = settings;
      this.bus = EventBus.get(ctx.getSystem());
      bus.subscribe(ctx, "ranking-aggregator", Set.of(EventType.POLICY_UPDATED), ctx.messageAdapter(Delivery.class, PolicyDelivery::new));
      if (policyStore != null) {
        ctx.ask(PolicyStore.PolicyView.class, policyStore, Duration.ofSeconds(10), PolicyStore.Get::new,
            (view, err) -> new PolicyLoaded(view != null ? view.policy() : null));
      }
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.updateInterval());
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(ScoreUpdated.class, m -> {
            latest.put(m.score().symbol(), m.score());
            return this;
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            publish(rank());
            return this;
          })
          .onMessage(PublishNow.class, m -> {
            m.replyTo().tell(publish(rank()));
            return this;
          })
          .onMessage(GetTop.class, m -> {
            m.replyTo().tell(rank(m.n()));
            return this;
          })
          .onMessage(GetAllScores.class, m -> {
            m.replyTo().tell(new AllScores(new ArrayList<>(latest.values())));
            return this;
          })
          .onMessage(GetRanking.class, m -> {
            m.replyTo().tell(rank());
            return this;
          })
          .onMessage(GetSymbolScore.class, m -> {
            SymbolScore s = latest.get(m.symbol());
            String why = s == null ? "unknown symbol"
                : blocked.contains(m.symbol()) ? "blocked by policy"
                : Scoring.filteredOut(s, settings.criteria());
            m.replyTo().tell(new SymbolScoreReply(m.symbol(), s, why));
            return this;
          })
          .onMessage(PolicyDelivery.class, m -> {
            if (m.delivery().event().payload() instanceof PolicyUpdated u) blocked = u.policy().blockedSymbols();
            m.delivery().ack();
            return this;
          })
          .onMessage(PolicyLoaded.class, m -> {
            if (m.policy() == null) {
              getContext().getLog().warn("ranking: could not read the policy at start; no symbol blocked until the next policy.updated");
            } else {
              blocked = m.policy().blockedSymbols();
            }
            return this;
          })
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .build();
    }

    private RankingView rank() {
      return rank(settings.topN());
    }

    /** The best {@code n} ranked symbols (any n, not only the published top N). */
    private RankingView rank(int n) {
      List<SymbolScore> ranked = Ranking.rank(latest.values(), settings.criteria(), s -> !blocked.contains(s), Integer.MAX_VALUE);
      List<SymbolScore> top = ranked.size() > n ? List.copyOf(ranked.subList(0, n)) : ranked;
      return new RankingView(top, latest.size(), ranked.size(), Instant.now());
    }

    private RankingView publish(RankingView view) {
      // An empty top is published once symbols are scored (none passes the filters, or all are
      // blocked): the orchestrator then opens nothing, instead of trading the last top it heard of.
      // Before any symbol is scored there is nothing to say.
      if (!view.top().isEmpty() || view.symbolsScored() > 0) {
        bus.publish(SOURCE, new OpportunitiesUpdated(Ranking.toOpportunities(view.top())));
      }
      List<String> symbols = view.top().stream().map(SymbolScore::symbol).toList();
      // INFO when a symbol enters or leaves the top N; a new order of the same symbols (every update
      // on a fast replay) only at DEBUG
      boolean entered = !new java.util.HashSet<>(symbols).equals(new java.util.HashSet<>(lastTop));
      if (!symbols.equals(lastTop) && (entered || getContext().getLog().isDebugEnabled())) {
        List<String> in = symbols.stream().filter(x -> !lastTop.contains(x)).toList();
        List<String> out = lastTop.stream().filter(x -> !symbols.contains(x)).toList();
        lastTop = symbols;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < view.top().size(); i++) {
          SymbolScore s = view.top().get(i);
          sb.append(String.format("%n  %2d. %-10s %+.3f (trend %+.2f, vol %.2f, liq %.2f, perf %+.2f)",
              i + 1, s.symbol(), s.total(), s.trend(), s.volatility(), s.liquidity(), s.performance()));
        }
        String change = !entered ? "reordered" : "in " + (in.isEmpty() ? "-" : String.join(" ", in)) + ", out "
            + (out.isEmpty() ? "-" : String.join(" ", out));
        if (entered) {
          getContext().getLog().info("top opportunities changed, {} ({} of {} symbols pass the filters):{}", change,
              view.symbolsRanked(), view.symbolsScored(), sb);
        } else {
          getContext().getLog().debug("top opportunities reordered ({} of {} symbols pass the filters):{}",
              view.symbolsRanked(), view.symbolsScored(), sb);
        }
      } else if (!symbols.equals(lastTop)) {
        lastTop = symbols;
      }
      return view;
    }
  }
}
