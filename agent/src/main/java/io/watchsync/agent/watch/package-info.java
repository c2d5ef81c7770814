/**
 * The agent's recursive tree watcher: one inotify watch per directory of the source, reporting
 * every change as a path relative to the root to a change sink; not the inotifywait-compatible
 * command, which is in inotifywait.
 */
package io.watchsync.agent.watch;
