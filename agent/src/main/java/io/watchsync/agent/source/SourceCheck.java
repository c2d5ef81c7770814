package io.watchsync.agent.source;

/**
 * Asked right before every run that could send or delete: is the source still the tree recorded at
 * start? Must be cheap (a few stat calls).
 */
@FunctionalInterface
public interface SourceCheck {
  /** Nothing is checked (one-off probes, tests of the transport alone). */
  SourceCheck NONE = () -> null;

  /** Why the source is not the one recorded at start, in one line; null when it is. */
  String lostBecause();
}
