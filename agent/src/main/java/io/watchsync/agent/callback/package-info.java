/**
 * The HTTP callbacks told after each delivery: their events, the journal of those a URL has not yet
 * accepted, and the senders that retry them.
 */
package io.watchsync.agent.callback;
