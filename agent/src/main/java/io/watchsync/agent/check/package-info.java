/**
 * The checks of {@code watchsync check}: whether a configuration can run on this machine (rsync,
 * source, inotify limits, password files, state directory, targets).
 */
package io.watchsync.agent.check;
