package com.quantumtrader.policy;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.common.Futures;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the policy history straight from the Policy Store's journal (the journal is the history),
 * newest first, in pages. Filtering by time scans the journal of the store, which holds one row per
 * policy change: thousands, not millions.
 */
public final class PolicyHistory {
  public static final int MAX_PAGE = 1000;

  /**
   * @param beforeVersion only versions strictly below this (for the next page); null for the newest
   * @param from only changes at or after this time; null for no lower bound
   * @param to only changes before this time; null for no upper bound
   * @param limit page size, 1..1000
   */
  public record Query(Long beforeVersion, Instant from, Instant to, int limit) {
    public static Query newest(int limit) {
      return new Query(null, null, null, limit);
    }

    /** What is wrong with this query, or null. */
    public String problem() {
      if (limit < 1 || limit > MAX_PAGE) return "limit must be in [1, " + MAX_PAGE + "], got " + limit;
      if (beforeVersion != null && beforeVersion < 1) return "before must be a version >= 1, got " + beforeVersion;
      if (from != null && to != null && !from.isBefore(to)) return "from must be before to";
      return null;
    }
  }

  /** One change: the version it produced, when, who, why, and what changed. */
  public record Entry(long version, Instant at, String changedBy, String reason, String kind, String change)
      implements CborSerializable {}

  /** A page, newest first; {@code nextBeforeVersion} continues it, or is null at the end. */
  public record Page(List<Entry> entries, Long nextBeforeVersion) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;

  public PolicyHistory(ActorSystem<?> system) {
    this.system = system;
    this.readJournal =
        PersistenceQuery.get(Adapter.toClassic(system))
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  public CompletionStage<Page> page(Query q) {
    String problem = q.problem();
    if (problem != null) return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
    long upper = q.beforeVersion() == null ? Long.MAX_VALUE : q.beforeVersion() - 1;
    if (upper < 1) return CompletableFuture.completedFuture(new Page(List.of(), null));
    int keep = q.limit() + 1; // one more than asked tells whether an older page exists
    return Futures.on(readJournal
        .currentEventsByPersistenceId(PolicyStore.PERSISTENCE_ID.id(), 1, upper)
        .map(env -> toEntry(env.sequenceNr(), env.event()))
        .filter(e -> (q.from() == null || !e.at().isBefore(q.from())) && (q.to() == null || e.at().isBefore(q.to())))
        .runWith(
            Sink.fold(
                new ArrayDeque<Entry>(),
                (dq, e) -> {
                  dq.addLast(e);
                  if (dq.size() > keep) dq.pollFirst();
                  return dq;
                }),
            system), system.executionContext())
        .thenApply(
            dq -> {
              boolean more = dq.size() > q.limit();
              if (more) dq.pollFirst();
              List<Entry> newestFirst = new ArrayList<>(dq.size());
              dq.descendingIterator().forEachRemaining(newestFirst::add);
              Long next = more && !newestFirst.isEmpty() ? newestFirst.get(newestFirst.size() - 1).version() : null;
              return new Page(newestFirst, next);
            });
  }

  private static Entry toEntry(long seqNr, Object event) {
    if (!(event instanceof PolicyStore.Event e)) {
      throw new IllegalStateException("unexpected event in the policy journal: " + event.getClass().getName());
    }
    PolicyStore.ChangeMeta m = e.meta();
    return new Entry(seqNr, m.at(), m.changedBy(), m.reason(), e.getClass().getSimpleName(), e.describe());
  }
}
