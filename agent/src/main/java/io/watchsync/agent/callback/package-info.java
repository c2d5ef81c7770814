/**
 * Callbacks: after each delivery, a JSON POST to every configured URL, queued on disk so a slow or
 * failing URL neither loses events nor holds replication up.
 */
package io.watchsync.agent.callback;
