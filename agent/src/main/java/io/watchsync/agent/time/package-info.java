/**
 * A monotonic clock and waits with a deadline on it, which tests replace with a clock moved by
 * hand.
 */
package io.watchsync.agent.time;
