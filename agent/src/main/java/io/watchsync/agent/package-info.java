/**
 * The running agent: it wires the watcher, each target's queue, transport and workers, the status
 * endpoint and the callbacks together, and owns their lifecycle (start, reload, source loss, stop).
 */
package io.watchsync.agent;
