package com.quantumtrader.bus;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.pubsub.Topic;
import com.quantumtrader.common.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's handle on the cluster-wide event bus: one Akka {@link Topic} per event type (topics of
 * the same name on every node find each other through the receptionist, so a subscriber on any node
 * gets every event), plus a bounded {@link Subscription} per subscriber.
 *
 * <p>Delivery is at most once and best effort, as a notification channel should be: an event
 * published while no subscriber exists, dropped from a full buffer, or in flight to a node that
 * crashes is gone. Components that must not miss a fact read the journal, which is the record.
 */
public final class EventBus implements Extension {

  public static final class Id extends ExtensionId<EventBus> {
    @Override
    public EventBus createExtension(ActorSystem<?> system) {
      return new EventBus(system);
    }
  }

  public static final Id ID = new Id();

  public static EventBus get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final BusSettings settings;
  private final Map<EventType, ActorRef<Topic.Command<EventEnvelope>>> topics;
  private final LongAdder[] published = new LongAdder[EventType.values().length];
  private final Map<Long, SubscriptionStats> subscriptions = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Props props = DispatcherSelector.fromConfig(DISPATCHER);

  /** The dispatcher of the bus's own actors. */
  public static final String DISPATCHER = "quantum-trader.event-bus.dispatcher";

  private EventBus(ActorSystem<?> system) {
    this.system = system;
    this.settings = BusSettings.fromConfig(system.settings().config());
    EnumMap<EventType, ActorRef<Topic.Command<EventEnvelope>>> t = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      t.put(
          type,
          system.systemActorOf(
              Topic.create(EventEnvelope.class, "quantum-trader." + type.key()),
              "bus-topic-" + type.key(),
              props));
      published[type.ordinal()] = new LongAdder();
    }
    this.topics = Collections.unmodifiableMap(t);
  }

  public BusSettings settings() {
    return settings;
  }

  /** Publishes to every subscriber of the event's type, on every node. */
  public void publish(EventEnvelope event) {
    topics.get(event.type()).tell(Topic.publish(event));
    published[event.type().ordinal()].increment();
  }

  /** Wraps the payload in a new envelope from {@code source} and publishes it. */
  public EventEnvelope publish(String source, EventPayload payload) {
    EventEnvelope e = EventEnvelope.of(source, payload);
    publish(e);
    return e;
  }

  /**
   * Subscribes an actor to some event types. The subscription is a child of {@code ctx}: it ends
   * when that actor stops or restarts (a restarted actor subscribes again in its setup; an event-sourced
   * one, whose restart on a journal failure does not run the setup around it again, on RecoveryCompleted).
   */
  public void subscribe(
      ActorContext<?> ctx, String name, Set<EventType> types, ActorRef<Delivery> subscriber) {
    long id = nextId.incrementAndGet();
    SubscriptionStats stats = register(id, name, types);
    ctx.spawn(
        Subscription.create(stats, subscriber, topics, settings, () -> subscriptions.remove(id)),
        "bus-subscription-" + id,
        props);
  }

  /** Subscribes any actor (e.g. a test probe); the subscription ends when that actor stops. */
  public void subscribe(String name, Set<EventType> types, ActorRef<Delivery> subscriber) {
    long id = nextId.incrementAndGet();
    SubscriptionStats stats = register(id, name, types);
    system.systemActorOf(
        Subscription.create(stats, subscriber, topics, settings, () -> subscriptions.remove(id)),
        "bus-subscription-" + id,
        props);
  }

  private SubscriptionStats register(long id, String name, Set<EventType> types) {
    if (types.isEmpty()) throw new IllegalArgumentException("a subscription needs at least one event type");
    SubscriptionStats stats = new SubscriptionStats(name, types);
    subscriptions.put(id, stats);
    return stats;
  }

  /** Events published from this node, per type. */
  public Map<EventType, Long> publishedCounts() {
    EnumMap<EventType, Long> out = new EnumMap<>(EventType.class);
    for (EventType t : EventType.values()) out.put(t, published[t.ordinal()].sum());
    return out;
  }

  /** The live subscriptions of this node. */
  public List<SubscriptionStats> subscriptions() {
    return new ArrayList<>(subscriptions.values());
  }

  /** Subscribers of a type registered with this node's topic (they may be still arriving). */
  public CompletionStage<Integer> localSubscriberCount(EventType type, Duration timeout) {
    return Futures.on(AskPattern.<Topic.Command<EventEnvelope>, Topic.TopicStats>ask(
            topics.get(type), Topic::getTopicStats, timeout, system.scheduler()), system.executionContext())
        .thenApply(s -> s.localSubscriberCount());
  }
}
