/**
 * {@code watchsync rejoin}: turns an old primary's tree into a backup of the new primary's, keeping
 * what only the old one held.
 */
package io.watchsync.agent.rejoin;
