/**
 * Guards on the source tree: that it is still the directory, mount and file system it was at start,
 * so an unmounted export never looks like everything was deleted.
 */
package io.watchsync.agent.source;
