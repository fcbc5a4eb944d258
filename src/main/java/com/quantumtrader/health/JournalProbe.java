package com.quantumtrader.health;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.quantumtrader.common.CborSerializable;
import java.time.Duration;
import org.slf4j.event.Level;

/**
 * Measures the journal the way the node uses it: each {@link Probe} persists a tiny event through
 * the journal plugin and answers how long the write took. One per node ({@code
 * health-probe|host:port}); snapshots every 100 writes delete the events before them, so the probe
 * keeps at most about 100 rows in the journal.
 *
 * <p>A failed write stops an event-sourced actor; this one then restarts with a short backoff and
 * recovers as soon as the database answers again. Probes sent meanwhile wait in the stash or are
 * lost; the monitor's ask times out and counts a failed probe.
 */
public final class JournalProbe
    extends EventSourcedBehaviorWithEnforcedReplies<JournalProbe.Command, JournalProbe.Written, JournalProbe.State> {

  public sealed interface Command extends CborSerializable {}

  public record Probe(ActorRef<Result> replyTo) implements Command {}

  /**
   * The probe event reached the journal after {@code latencyMs}. Probes held while the probe restarts
   * (the database away) are answered after it has recovered, when their asks have timed out: such a
   * late answer is expected and not logged as a dead letter (Akka logs ten, then none for five minutes).
   */
  public record Result(long latencyMs) implements CborSerializable, akka.actor.DeadLetterSuppression {}

  /** The event: a probe write at this time. */
  public record Written(long atEpochMs) implements CborSerializable {}

  public record State(long writes) implements CborSerializable {}

  static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  public static PersistenceId persistenceId(String hostPort) {
    return PersistenceId.of("health-probe", hostPort);
  }

  public static Behavior<Command> create(String hostPort) {
    return Behaviors.setup(ctx -> new JournalProbe(persistenceId(hostPort)));
  }

  private JournalProbe(PersistenceId id) {
    // WARN, not ERROR: during an outage this fails every few seconds, and the monitor already
    // reports the journal at ERROR; the lines keep the cause.
    super(id, SupervisorStrategy.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, 0.2).withLogLevel(Level.WARN));
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Written, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Probe.class, (state, probe) -> {
          long start = System.nanoTime();
          return Effect()
              .persist(new Written(System.currentTimeMillis()))
              .thenReply(probe.replyTo(), s -> new Result((System.nanoTime() - start) / 1_000_000));
        })
        .build();
  }

  @Override
  public EventHandler<State, Written> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> new State(s.writes() + 1));
  }
}
