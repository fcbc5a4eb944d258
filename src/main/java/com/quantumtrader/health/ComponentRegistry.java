package com.quantumtrader.health;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each component of this node is doing: when it started, how often it was restarted, and
 * whether it keeps failing. The guardian's supervision records every (re)start here; the health
 * monitor and the operator surface read it.
 */
public final class ComponentRegistry implements Extension {

  public static final class Id extends ExtensionId<ComponentRegistry> {
    @Override
    public ComponentRegistry createExtension(ActorSystem<?> system) {
      return new ComponentRegistry(FAILING_RESTARTS, FAILING_WINDOW);
    }
  }

  public static final Id ID = new Id();

  /** A component restarted this often within the window is reported as failing. */
  public static final int FAILING_RESTARTS = 5;

  public static final Duration FAILING_WINDOW = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(ComponentRegistry.class);

  public static ComponentRegistry get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** A component's status at one moment. */
  public record Status(String name, long restarts, Instant lastStart, boolean failing, int recentRestarts) {}

  private static final class Entry {
    long starts;
    Instant lastStart;
    final ArrayDeque<Instant> recent = new ArrayDeque<>();
    boolean failing;
  }

  private final int failingRestarts;
  private final Duration failingWindow;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  ComponentRegistry(int failingRestarts, Duration failingWindow) {
    this.failingRestarts = failingRestarts;
    this.failingWindow = failingWindow;
  }

  /** Called each time the component's behavior is set up: its first start and every restart. */
  public void started(String name) {
    Instant now = Instant.now();
    Entry e = entries.computeIfAbsent(name, n -> new Entry());
    synchronized (e) {
      e.starts++;
      e.lastStart = now;
      if (e.starts == 1) return;
      e.recent.addLast(now);
      while (!e.recent.isEmpty() && e.recent.peekFirst().isBefore(now.minus(failingWindow))) e.recent.pollFirst();
      boolean failing = e.recent.size() >= failingRestarts;
      if (failing && !e.failing) {
        log.error(
            "component {} keeps failing: {} restarts in the last {} s (restarting with backoff)",
            name, e.recent.size(), failingWindow.toSeconds());
      } else {
        log.warn("component {} restarted ({} restarts so far)", name, e.starts - 1);
      }
      e.failing = failing;
    }
  }

  public List<Status> snapshot() {
    Instant cutoff = Instant.now().minus(failingWindow);
    List<Status> out = new ArrayList<>();
    entries.forEach(
        (name, e) -> {
          synchronized (e) {
            int recent = (int) e.recent.stream().filter(t -> t.isAfter(cutoff)).count();
            out.add(new Status(name, e.starts - 1, e.lastStart, recent >= failingRestarts, recent));
          }
        });
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }
}
