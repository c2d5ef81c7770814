/**
 * {@code watchsync watch}, a drop-in for inotify-tools' inotifywait (its options, event names and
 * output formats, byte for byte); not the agent's own tree watcher, which is in watch.
 */
package io.watchsync.agent.inotifywait;
