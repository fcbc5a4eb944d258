package com.quantumtrader.analytics;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Futures;
import com.quantumtrader.common.JdbcTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Analytics' read side: follows the journal through Akka Persistence Query ({@code eventsByTag},
 * one stream per tag) and applies each group of events to tables in the journal's database in one
 * transaction together with the tag's offset. After a restart it resumes from the stored offset, so
 * no event is missed or counted twice. A failed stream (the database went away) restarts with
 * backoff from the last committed offset. One per cluster (a singleton): the tables have one writer.
 * Queries ({@link GetReport}) read the same tables.
 */
public final class AnalyticsProjection {
  private AnalyticsProjection() {}

  public static final String DISPATCHER = "quantum-trader.analytics.dispatcher";

  public sealed interface Command extends CborSerializable {}

  public record GetReport(String strategyId, ActorRef<ReportReply> replyTo) implements Command {}

  public record ReportReply(AnalyticsReport report, String error) implements CborSerializable {}

  public record GetProgress(ActorRef<Progress> replyTo) implements Command {}

  /**
   * Closed trades, newest first, optionally of one strategy and/or symbol (null: any), skipping
   * {@code offset} and returning at most {@code limit}.
   */
  public record GetTrades(String strategyId, String symbol, int offset, int limit, ActorRef<TradesReply> replyTo)
      implements Command {}

  public record TradesReply(List<TradeRow> trades, long total, String error) implements CborSerializable {}

  /** A closed trade as analytics keeps it (times are bar open times, epoch ms). */
  public record TradeRow(String tradeId, String strategyId, String symbol, String side, double quantity, double entryPrice,
      double exitPrice, double pnl, double fees, String exit, long openedAt, long closedAt) implements CborSerializable {}

  private record TradesDone(TradesReply reply, ActorRef<TradesReply> to) implements Command {}

  /** Per tag: the last committed offset and events applied by this incarnation. */
  public record Progress(Map<String, Long> offsets, Map<String, Long> applied) implements CborSerializable {}

  public enum Stop implements Command {
    INSTANCE
  }

  private record Reply(ReportReply reply, ActorRef<ReportReply> to) implements Command {}

  /**
   * @param tags the journal tags followed (e.g. portfolio, policy, msc)
   * @param markInterval the broker's equity mark interval (annualizes the equity curve's returns)
   */
  public record Settings(JdbcTarget db, List<String> tags, Duration markInterval, int batchSize) {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "analytics-projection").withStopMessage(Stop.INSTANCE));
  }

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(ctx -> {
      var system = ctx.getSystem();
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
      JdbcReadJournal journal = PersistenceQuery.get(akka.actor.typed.javadsl.Adapter.toClassic(system))
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      ReadSide readSide = new ReadSide(settings.db());
      Map<String, Long> offsets = new ConcurrentHashMap<>();
      Map<String, AtomicLong> applied = new ConcurrentHashMap<>();
      List<UniqueKillSwitch> kills = new ArrayList<>();
      var log = ctx.getLog();
      // At most 5 s between tries, as the read journal's own (application.conf): after a database
      // outage analytics follows again within seconds.
      // Akka's own restart lines at DEBUG: each failure is logged once, below, with its cause.
      RestartSettings restart = RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(5), 0.2)
          .withLogSettings(RestartSettings.createLogSettings(akka.event.Logging.DebugLevel()));
      for (String tag : settings.tags()) {
        applied.put(tag, new AtomicLong());
        UniqueKillSwitch kill = RestartSource.onFailuresWithBackoff(restart, () ->
                Source.completionStage(CompletableFuture.supplyAsync(() -> readSide.offset(tag), blocking))
                    .flatMapConcat(from -> {
                      offsets.put(tag, from);
                      log.info("analytics: following tag {} from offset {}", tag, from);
                      return journal.eventsByTag(tag, Offset.sequence(from));
                    })
                    .groupedWithin(settings.batchSize(), Duration.ofMillis(200))
                    .mapAsync(1, group -> CompletableFuture.supplyAsync(() -> {
                      long last = ((Sequence) group.get(group.size() - 1).offset()).value();
                      readSide.apply(tag, group, last, settings.markInterval());
                      offsets.put(tag, last);
                      applied.get(tag).addAndGet(group.size());
                      return Done.getInstance();
                    }, blocking))
                    // Akka 2.8 writes a failed stream's whole stack trace into each restart's log line
                    // (40 lines, every few seconds of an outage): the failure is logged here instead, where
                    // the log's stack-trace converter writes a trace once a minute, and the stream fails
                    // with the cause in one line (Akka's restart line, at DEBUG)
                    .mapError(new akka.japi.pf.PFBuilder<Throwable, Throwable>()
                        .matchAny(e -> {
                          String what = "analytics: following tag " + tag + " failed: " + rootMessage(e);
                          STREAM_LOG.warn(what, e);
                          return new StreamFailed(what);
                        })
                        .build()))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.left())
            .run(system);
        kills.add(kill);
      }
      return Behaviors.receive(Command.class)
          .onMessage(GetReport.class, m -> {
            ctx.pipeToSelf(Futures.on(CompletableFuture.supplyAsync(() -> readSide.report(m.strategyId(), settings.markInterval()),
                blocking), ctx.getExecutionContext()), (r, err) -> new Reply(err == null ? new ReportReply(r, null)
                : new ReportReply(null, "analytics: " + rootMessage(err)), m.replyTo()));
            return Behaviors.same();
          })
          .onMessage(GetTrades.class, m -> {
            ctx.pipeToSelf(Futures.on(CompletableFuture.supplyAsync(() -> readSide.trades(m.strategyId(), m.symbol(), m.offset(),
                m.limit()), blocking), ctx.getExecutionContext()), (r, err) -> new TradesDone(err == null ? r
                : new TradesReply(List.of(), 0, "analytics: " + rootMessage(err)), m.replyTo()));
            return Behaviors.same();
          })
          .onMessage(TradesDone.class, m -> {
            m.to().tell(m.reply());
            return Behaviors.same();
          })
          .onMessage(Reply.class, m -> {
            m.to().tell(m.reply());
            return Behaviors.same();
          })
          .onMessage(GetProgress.class, m -> {
            Map<String, Long> a = new java.util.TreeMap<>();
            applied.forEach((k, v) -> a.put(k, v.get()));
            m.replyTo().tell(new Progress(new java.util.TreeMap<>(offsets), a));
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, () -> {
            kills.forEach(UniqueKillSwitch::shutdown);
            return Behaviors.stopped();
          })
          .onSignal(akka.actor.typed.PostStop.class, s -> {
            kills.forEach(UniqueKillSwitch::shutdown);
            return Behaviors.same();
          })
          .build();
    });
  }

  private static final org.slf4j.Logger STREAM_LOG = org.slf4j.LoggerFactory.getLogger(AnalyticsProjection.class);

  /** A failure of a tag's stream, in one line (no stack trace: the message names the cause). */
  static final class StreamFailed extends RuntimeException {
    StreamFailed(String message) {
      super(message, null, false, false);
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  /** Ensures a SQL failure inside a stream stage fails it (and so restarts it). */
  static RuntimeException failed(String what, SQLException e) {
    return new IllegalStateException(what + ": " + e.getMessage(), e);
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the transaction is too
    }
  }
}
