/**
 * The agent's local HTTP endpoint (/status, /health, /metrics) and the client that `watchsync
 * status{@code and }sync-now` use to talk to it.
 */
package io.watchsync.agent.status;
