/**
 * What flows from the watcher to a target: each target's queue of pending changes, collapsed into
 * units of work, and the workers that hand them to a transport and retry what did not arrive.
 */
package io.watchsync.agent.replicate;
