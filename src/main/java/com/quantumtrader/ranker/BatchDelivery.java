package com.quantumtrader.ranker;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.quantumtrader.market.BarBatcher;
import com.quantumtrader.market.MarketFeed;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers the feed's batches to the sharded workers. Each batch is told (not asked) to its worker
 * with a sequence number; the worker acknowledges it to one receiver actor per delivery, which
 * completes the batch's future. That keeps the feed's backpressure without the cost of an ask (a
 * temporary actor, death watch and a scheduled timeout) per batch. Batches not acknowledged within
 * the timeout fail, so a worker that died does not stall the feed.
 */
final class BatchDelivery implements MarketFeed.Delivery {
  private record Pending(CompletableFuture<Done> future, long sentNanos) {}

  private enum Sweep {
    INSTANCE
  }

  private final ClusterSharding sharding;
  private final ActorRef<RankerWorker.BatchApplied> ackRef;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final long timeoutNanos;

  private static final AtomicLong instances = new AtomicLong();

  BatchDelivery(ActorSystem<?> system, Duration timeout) {
    this.sharding = ClusterSharding.get(system);
    this.timeoutNanos = timeout.toNanos();
    Behavior<Object> receiver = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ofSeconds(1));
      return Behaviors.receiveMessage(m -> {
        if (m instanceof RankerWorker.BatchApplied a) {
          Pending p = pending.remove(a.seq());
          if (p != null) p.future().complete(Done.getInstance());
        } else if (m == Sweep.INSTANCE) {
          long now = System.nanoTime();
          pending.entrySet().removeIf(e -> {
            if (now - e.getValue().sentNanos() <= timeoutNanos) return false;
            e.getValue().future().completeExceptionally(new TimeoutException("batch not acknowledged within " + timeout));
            return true;
          });
        }
        return Behaviors.same();
      });
    }));
    this.ackRef = system.systemActorOf(receiver, "ranker-batch-acks-" + instances.incrementAndGet(), Props.empty()).narrow();
  }

  @Override
  public CompletionStage<Done> apply(BarBatcher.Batch b) {
    long s = seq.incrementAndGet();
    CompletableFuture<Done> f = new CompletableFuture<>();
    pending.put(s, new Pending(f, System.nanoTime()));
    sharding.entityRefFor(RankerWorker.TYPE_KEY, b.symbol())
        .tell(new RankerWorker.NewBars(b.symbol(), b.interval(), b.openTime(), b.high(), b.low(), b.close(), b.quoteVolume(),
            s, ackRef));
    return f;
  }
}
