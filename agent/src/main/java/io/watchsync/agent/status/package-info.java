/**
 * The agent's local HTTP endpoint (/status, /health, /metrics) and the client that {@code watchsync
 * status} and {@code watchsync sync-now} use to talk to it.
 */
package io.watchsync.agent.status;
