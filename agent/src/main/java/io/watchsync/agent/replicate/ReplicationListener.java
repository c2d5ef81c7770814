package io.watchsync.agent.replicate;

import java.time.Duration;

/** Told about every delivery attempt: for metrics and tests. */
@FunctionalInterface
public interface ReplicationListener {
  ReplicationListener NONE = (target, work, delivery, took) -> {};

  void delivered(String target, Work work, Delivery delivery, Duration took);
}
