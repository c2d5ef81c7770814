/**
 * Replication to each target: the pending changes of a target, cut into work, kept in an on-disk
 * journal and handed by worker threads to a transport, with backoff while it is down.
 */
package io.watchsync.agent.replicate;
