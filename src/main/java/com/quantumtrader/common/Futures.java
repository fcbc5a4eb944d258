package com.quantumtrader.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * CompletionStages from Akka's Java API are Scala futures in disguise: their dependent actions,
 * even the non-async ones ({@code handle}, {@code whenComplete}, {@code thenApply}), run on the
 * JDK's default async executor. On a machine with 2 cores the common ForkJoinPool has parallelism 1,
 * and the JDK then starts a new thread for every such action: measured here, it slowed the ranker
 * path to 9,000 bars/s. Every such stage on a hot path goes through {@link #on} first.
 */
public final class Futures {
  private Futures() {}

  /**
   * A plain CompletableFuture completed from {@code stage} on {@code executor}; a stage that is
   * already a plain CompletableFuture (its callbacks run inline) is returned as it is.
   */
  public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
    if (stage.getClass() == CompletableFuture.class) return (CompletableFuture<T>) stage;
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenCompleteAsync((v, e) -> {
      if (e != null) out.completeExceptionally(e);
      else out.complete(v);
    }, executor);
    return out;
  }

  /**
   * Makes the JDK's common pool at least 2 threads wide, so that no library falls back to a
   * thread per task. Effective only before anything has used the common pool: call it first thing.
   */
  public static void guardCommonPool() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null) {
      System.setProperty(key, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }
}
