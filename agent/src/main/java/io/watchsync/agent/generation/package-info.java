/**
 * The replicated tree's generation, a number that only grows with each takeover and turns a split
 * brain into a refusal, and the quarantine that keeps what a takeover would destroy.
 */
package io.watchsync.agent.generation;
