/**
 * Replication over rsync to where a {@link io.watchsync.agent.config.TargetUrl} says a target lives
 * (rsync daemon, ssh or local directory): {@link io.watchsync.agent.transport.RsyncCommand} builds
 * the argument lists, {@link io.watchsync.agent.transport.RsyncTransport} runs them and {@link
 * io.watchsync.agent.transport.RsyncExit} turns rsync's exit code into what the replicator does
 * next.
 *
 * <p>No shell sees a file name: paths go to rsync as NUL-separated raw bytes on its standard input,
 * and rename scripts quote every byte. The daemon password stays in its file and is scrubbed from
 * any message.
 */
package io.watchsync.agent.transport;
