/**
 * The agent's log: one line per event on stderr, with the syslog priority prefix when journald
 * reads it.
 */
package io.watchsync.agent.log;
