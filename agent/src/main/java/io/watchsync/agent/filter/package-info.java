/**
 * The rsync filter engine: exclude patterns compiled and matched exactly as rsync matches them
 * (wildmatch), so the watcher and rsync leave out the same paths; a new exclude syntax goes here.
 */
package io.watchsync.agent.filter;
