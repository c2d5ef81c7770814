/**
 * The record framing the on-disk journals share: a length, a CRC32 and a body, so a record torn by
 * a crash is recognised and dropped.
 */
package io.watchsync.agent.journal;
