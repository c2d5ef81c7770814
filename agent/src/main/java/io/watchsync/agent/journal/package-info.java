/**
 * What survives a crash on disk: the append-only journals of a target's pending changes, their
 * checked record format, and the atomic snapshot that replaces a journal (callbacks use both).
 */
package io.watchsync.agent.journal;
