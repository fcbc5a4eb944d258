package com.quantumtrader.bus;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.pubsub.Topic;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;

/**
 * One subscriber's side of the bus: subscribed to the cluster topics of its event types, it keeps a
 * bounded buffer and hands events over at most {@code delivery-window} at a time, waiting for
 * acknowledgements. A slow subscriber therefore holds a bounded amount of memory and never slows
 * the topic or the other subscribers; when its buffer is full the oldest buffered event is dropped
 * and counted. A subscriber that stops ends its subscription; one that restarts and loses its
 * window is detected by the ack timeout.
 */
final class Subscription extends AbstractBehavior<Subscription.Msg> {

  interface Msg {}

  private record Incoming(EventEnvelope event) implements Msg {}

  private enum CheckAcks implements Msg {
    INSTANCE
  }

  private enum SubscriberGone implements Msg {
    INSTANCE
  }

  static Behavior<Msg> create(
      SubscriptionStats stats,
      ActorRef<Delivery> subscriber,
      Map<EventType, ActorRef<Topic.Command<EventEnvelope>>> topics,
      BusSettings settings,
      Runnable onStop) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Subscription(ctx, timers, stats, subscriber, topics, settings, onStop)));
  }

  private final ActorRef<Delivery> subscriber;
  private final ActorRef<Delivery.Acknowledge> ackRef;
  private final ActorRef<EventEnvelope> incomingRef;
  private final Map<EventType, ActorRef<Topic.Command<EventEnvelope>>> topics;
  private final Set<EventType> types;
  private final SubscriptionStats stats;
  private final int capacity;
  private final int window;
  private final int ackEvery;
  private final long ackTimeoutNanos;
  private final Runnable onStop;
  private final ArrayDeque<EventEnvelope> buffer = new ArrayDeque<>();
  private long lastSent; // seqNr of the last delivery handed over
  private long lastAcked; // highest seqNr acknowledged
  private long lastRequested; // highest seqNr whose delivery asked for an ack
  private long lastProgressNanos = System.nanoTime();

  private Subscription(
      ActorContext<Msg> ctx,
      TimerScheduler<Msg> timers,
      SubscriptionStats stats,
      ActorRef<Delivery> subscriber,
      Map<EventType, ActorRef<Topic.Command<EventEnvelope>>> topics,
      BusSettings settings,
      Runnable onStop) {
    super(ctx);
    this.subscriber = subscriber;
    this.topics = topics;
    this.types = stats.types();
    this.stats = stats;
    this.capacity = settings.maxQueueSize();
    this.window = settings.deliveryWindow();
    this.ackEvery = Math.max(1, window / 2);
    this.ackTimeoutNanos = settings.ackTimeout().toNanos();
    this.onStop = onStop;
    this.ackRef = ctx.getSelf().narrow();
    this.incomingRef = ctx.messageAdapter(EventEnvelope.class, Incoming::new);
    ctx.watchWith(subscriber, SubscriberGone.INSTANCE);
    for (EventType t : types) {
      topics.get(t).tell(Topic.subscribe(incomingRef));
    }
    // Checking progress on a timer keeps the per-ack path free of scheduler work.
    Duration check = settings.ackTimeout().dividedBy(2);
    timers.startTimerWithFixedDelay(CheckAcks.INSTANCE, check.isZero() ? Duration.ofMillis(1) : check);
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Incoming.class, m -> onIncoming(m.event()))
        .onMessage(Delivery.Acknowledge.class, this::onAck)
        .onMessageEquals(CheckAcks.INSTANCE, this::onCheckAcks)
        .onMessageEquals(SubscriberGone.INSTANCE, () -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Msg> onIncoming(EventEnvelope event) {
    if (lastSent - lastAcked < window && buffer.isEmpty()) {
      send(event);
    } else {
      if (buffer.size() >= capacity) {
        buffer.pollFirst();
        long d = ++stats.dropped;
        if (d == 1 || d % 10_000 == 0) {
          getContext()
              .getLog()
              .warn(
                  "event bus: subscriber '{}' is too slow, its buffer of {} is full; {} events dropped so far (oldest first)",
                  stats.name(),
                  capacity,
                  d);
        }
      }
      buffer.addLast(event);
      stats.buffered = buffer.size();
    }
    return this;
  }

  private Behavior<Msg> onAck(Delivery.Acknowledge ack) {
    if (ack.seqNr() > lastAcked && ack.seqNr() <= lastSent) {
      lastAcked = ack.seqNr();
      lastProgressNanos = System.nanoTime();
      drain();
    }
    return this;
  }

  private Behavior<Msg> onCheckAcks() {
    // Only an ack that was asked for can be overdue; deliveries after it are acknowledged later.
    if (lastRequested > lastAcked && System.nanoTime() - lastProgressNanos > ackTimeoutNanos) {
      long missing = lastSent - lastAcked;
      stats.lost += missing;
      getContext()
          .getLog()
          .warn(
              "event bus: subscriber '{}' acknowledged nothing for {} ms; treating {} in-flight events as lost and resuming",
              stats.name(),
              ackTimeoutNanos / 1_000_000,
              missing);
      lastAcked = lastSent;
      lastProgressNanos = System.nanoTime();
      drain();
    }
    return this;
  }

  private void drain() {
    while (lastSent - lastAcked < window && !buffer.isEmpty()) {
      send(buffer.pollFirst());
    }
    stats.buffered = buffer.size();
  }

  private void send(EventEnvelope event) {
    long seq = ++lastSent;
    // An ack every half window keeps the window moving without one message per event; the window
    // can never fill without an ack being asked for.
    boolean ackRequested = seq % ackEvery == 0 || seq - lastAcked == window;
    if (ackRequested) {
      if (lastRequested <= lastAcked) lastProgressNanos = System.nanoTime();
      lastRequested = seq;
    }
    subscriber.tell(new Delivery(event, seq, ackRef, ackRequested));
    stats.delivered++;
  }

  private Behavior<Msg> onPostStop() {
    for (EventType t : types) {
      topics.get(t).tell(Topic.unsubscribe(incomingRef));
    }
    onStop.run();
    return this;
  }
}
