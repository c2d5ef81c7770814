/**
 * The running agent: wires the tree watcher, one queue and transport per target, the status
 * endpoint and the callbacks together, and owns start-up and reload.
 */
package io.watchsync.agent;
