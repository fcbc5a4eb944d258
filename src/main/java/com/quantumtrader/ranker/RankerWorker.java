package com.quantumtrader.ranker;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore;
import akka.persistence.state.DurableStateStoreRegistry;
import akka.persistence.state.javadsl.DurableStateUpdateStore;
import akka.persistence.state.javadsl.GetObjectResult;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Futures;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One symbol's ranker, an entity of Cluster Sharding ({@code symbol-ranker}, entity id = symbol).
 * It keeps the symbol's rolling {@link Indicators} (O(1) per bar), scores the symbol after each
 * batch of bars, and reports the score to the {@link RankingAggregator}.
 *
 * <p>Its indicator state is checkpointed to Akka's durable state store (the journal database) every
 * {@code checkpoint-every-bars} bars, every {@code checkpoint-interval} when it changed, and when the
 * entity is stopped for a hand-off or passivation. A worker that moves to another node, or a node
 * that restarts, resumes from that checkpoint: warm, without a new warm-up window. Bars not newer
 * than the last one seen are ignored, so a replay after a restart does not count a bar twice.
 */
public final class RankerWorker {
  private RankerWorker() {}

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "symbol-ranker");

  public sealed interface Command extends CborSerializable {}

  /**
   * A batch of one symbol's bars, oldest first, as primitive arrays (no per-bar objects on the
   * wire). The feed has validated them.
   *
   * @param seq the sender's number for this batch, returned in {@link BatchApplied}
   * @param ackTo told {@link BatchApplied} once the bars are applied and the score updated (or null)
   */
  public record NewBars(
      String symbol, String interval, long[] openTime, double[] high, double[] low, double[] close,
      double[] quoteVolume, long seq, ActorRef<BatchApplied> ackTo)
      implements Command {
    public int size() {
      return openTime.length;
    }
  }

  /** The batch {@code seq} is applied: its bars are in the indicators and the score is updated. */
  public record BatchApplied(long seq) implements CborSerializable {}

  public record GetScore(ActorRef<ScoreReply> replyTo) implements Command {}

  /** The worker's view: its score (null before its first bar) and its bar count. */
  public record ScoreReply(String symbol, SymbolScore score, long bars) implements CborSerializable {}

  /** Hand-off / passivation: checkpoint, then stop. */
  public enum Stop implements Command {
    INSTANCE
  }

  private record Loaded(Optional<Indicators.State> state, long revision, String interval) implements Command {}

  private record LoadFailed(Throwable cause) implements Command {}

  private record Saved(long revision, Throwable failure) implements Command {}

  private enum CheckpointTick implements Command {
    INSTANCE
  }

  private enum ReportTick implements Command {
    INSTANCE
  }

  /** Scores reach the aggregator at most this often (it publishes every update-interval anyway). */
  static final Duration REPORT_INTERVAL = Duration.ofMillis(250);

  /** What the worker persists. */
  public record Checkpoint(String symbol, String interval, Indicators.State indicators) implements CborSerializable {}

  /** Delivers the feed's batches to the sharded workers, each acknowledged once applied. */
  public static com.quantumtrader.market.MarketFeed.Delivery delivery(ActorSystem<?> system, Duration timeout) {
    return new BatchDelivery(system, timeout);
  }

  public static String persistenceId(String symbol) {
    return "symbol-ranker|" + symbol;
  }

  /** Registers the entity type with sharding (once per node, from the guardian). */
  public static void init(ActorSystem<?> system, RankerSettings settings, ActorRef<RankingAggregator.Command> aggregator) {
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, ctx -> Behaviors.supervise(create(ctx.getEntityId(), settings, aggregator))
                // A worker that fails (its checkpoint could not be read) retries with backoff.
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2)))
            .withStopMessage(Stop.INSTANCE)
            // Hundreds of symbols fit in memory; passivating between hourly bars would only reload them.
            .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(String symbol, RankerSettings settings, ActorRef<RankingAggregator.Command> aggregator) {
    return Behaviors.setup(ctx -> Behaviors.withStash(10_000, stash -> Behaviors.withTimers(timers -> {
      @SuppressWarnings("unchecked")
      DurableStateUpdateStore<Object> store = DurableStateStoreRegistry.get(ctx.getSystem())
          .getDurableStateStoreFor(JdbcDurableStateStore.class, JdbcDurableStateStore.Identifier());
      return new Worker(symbol, settings, aggregator, ctx, stash, timers, store).loading();
    })));
  }

  private static final class Worker {
    private final String symbol;
    private final String pid;
    private final RankerSettings settings;
    private final ActorRef<RankingAggregator.Command> aggregator;
    private final ActorContext<Command> ctx;
    private final StashBuffer<Command> stash;
    private final TimerScheduler<Command> timers;
    private final DurableStateUpdateStore<Object> store;
    private Indicators indicators = new Indicators();
    private String interval;
    private SymbolScore score;
    private long revision;
    private long barsSinceSave;
    private boolean saving;
    private boolean stopping;
    private boolean unreported;
    // Workers fed in lock-step (every symbol gets a bar each time step) would all checkpoint on the
    // same bar; the first checkpoint comes after a symbol-dependent number of bars instead, which
    // keeps them spread out from then on.
    private long checkpointAfter;

    Worker(String symbol, RankerSettings settings, ActorRef<RankingAggregator.Command> aggregator, ActorContext<Command> ctx,
        StashBuffer<Command> stash, TimerScheduler<Command> timers, DurableStateUpdateStore<Object> store) {
      this.symbol = symbol;
      this.pid = persistenceId(symbol);
      this.settings = settings;
      this.aggregator = aggregator;
      this.ctx = ctx;
      this.stash = stash;
      this.timers = timers;
      this.store = store;
      int every = settings.checkpointEveryBars();
      this.checkpointAfter = every + Math.floorMod(symbol.hashCode(), every);
      CheckpointFailures.get(ctx.getSystem()); // made with the first ranker, while its shutdown task can still be added
    }

    Behavior<Command> loading() {
      CompletionStage<GetObjectResult<Object>> f = Futures.on(store.getObject(pid), ctx.getExecutionContext());
      ctx.pipeToSelf(f, (r, err) -> {
        if (err != null) return new LoadFailed(err);
        Optional<Object> v = r.value();
        if (v.isPresent() && v.get() instanceof Checkpoint c) return new Loaded(Optional.of(c.indicators()), r.revision(), c.interval());
        return new Loaded(Optional.empty(), r.revision(), null);
      });
      return Behaviors.receive(Command.class)
          .onMessage(Loaded.class, this::onLoaded)
          .onMessage(LoadFailed.class, m -> {
            // Restarted with backoff by the sharding supervision; the bars wait in the region.
            throw new IllegalStateException("ranker " + symbol + " could not load its checkpoint", m.cause());
          })
          .onMessage(Command.class, m -> {
            if (stash.isFull()) {
              ctx.getLog().warn("ranker {}: stash full while loading; dropping a message", symbol);
            } else {
              stash.stash(m);
            }
            return Behaviors.same();
          })
          .build();
    }

    private Behavior<Command> onLoaded(Loaded m) {
      revision = m.revision();
      if (m.state().isPresent()) {
        indicators = Indicators.fromState(m.state().get());
        interval = m.interval();
        score = Scoring.score(symbol, interval, indicators, settings.criteria());
        aggregator.tell(new RankingAggregator.ScoreUpdated(score));
        ctx.getLog().debug("ranker {} resumed warm at bar {} (revision {})", symbol, indicators.bars(), revision);
      }
      timers.startTimerWithFixedDelay(CheckpointTick.INSTANCE, settings.checkpointInterval());
      timers.startTimerWithFixedDelay(ReportTick.INSTANCE, REPORT_INTERVAL);
      return stash.unstashAll(active());
    }

    Behavior<Command> active() {
      return Behaviors.receive(Command.class)
          .onMessage(NewBars.class, this::onBars)
          .onMessage(GetScore.class, m -> {
            m.replyTo().tell(new ScoreReply(symbol, score, indicators.bars()));
            return Behaviors.same();
          })
          .onMessageEquals(CheckpointTick.INSTANCE, () -> {
            if (barsSinceSave > 0) save();
            else if (score != null) aggregator.tell(new RankingAggregator.ScoreUpdated(score)); // keeps a new aggregator complete
            return Behaviors.same();
          })
          .onMessageEquals(ReportTick.INSTANCE, () -> {
            if (unreported) {
              aggregator.tell(new RankingAggregator.ScoreUpdated(score));
              unreported = false;
            }
            return Behaviors.same();
          })
          .onMessage(Saved.class, this::onSaved)
          .onMessageEquals(Stop.INSTANCE, () -> {
            stopping = true;
            if (barsSinceSave == 0 && !saving) return Behaviors.stopped();
            if (!saving) save();
            return Behaviors.same();
          })
          .build();
    }

    private Behavior<Command> onBars(NewBars b) {
      if (interval == null) interval = b.interval();
      int applied = 0;
      long last = indicators.lastOpenTime();
      for (int i = 0; i < b.size(); i++) {
        if (b.openTime()[i] <= last) continue; // already seen (replay after a restart)
        indicators.update(b.openTime()[i], b.high()[i], b.low()[i], b.close()[i], b.quoteVolume()[i]);
        last = b.openTime()[i];
        applied++;
      }
      if (applied > 0) {
        score = Scoring.score(symbol, interval, indicators, settings.criteria());
        unreported = true;
        barsSinceSave += applied;
        if (barsSinceSave >= checkpointAfter && !saving) save();
      }
      if (b.ackTo() != null) b.ackTo().tell(new BatchApplied(b.seq()));
      return Behaviors.same();
    }

    private void save() {
      saving = true;
      checkpointAfter = settings.checkpointEveryBars();
      long next = revision + 1;
      long bars = barsSinceSave;
      barsSinceSave = 0;
      Checkpoint c = new Checkpoint(symbol, interval, indicators.state());
      ctx.pipeToSelf(Futures.on(store.upsertObject(pid, next, c, "ranker"), ctx.getExecutionContext()),
          (ok, err) -> new Saved(err == null ? next : -bars, err));
    }

    private Behavior<Command> onSaved(Saved s) {
      saving = false;
      if (s.failure() != null) {
        barsSinceSave += -s.revision(); // not saved: still to be saved
        CheckpointFailures failures = CheckpointFailures.get(ctx.getSystem());
        if (stopping) {
          // a node stopping while its database is away: every ranker ends here, counted in one line
          failures.stoppedUnsaved(symbol, s.failure().getMessage());
          ctx.getLog().debug("ranker {}: stopping without its last {} bars checkpointed", symbol, barsSinceSave);
          return Behaviors.stopped();
        }
        failures.note(symbol, s.failure().getMessage());
        return Behaviors.same();
      }
      revision = s.revision();
      CheckpointFailures.get(ctx.getSystem()).succeeded(); // the failures held back, once checkpoints succeed again
      if (stopping) {
        if (barsSinceSave > 0) {
          save();
          return Behaviors.same();
        }
        return Behaviors.stopped();
      }
      if (barsSinceSave >= checkpointAfter) save();
      return Behaviors.same();
    }
  }
}
