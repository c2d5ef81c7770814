/**
 * Watching a source tree with inotify, one watch per directory, and reporting what changed to a
 * {@link io.watchsync.agent.watch.ChangeSink}.
 */
package io.watchsync.agent.watch;
