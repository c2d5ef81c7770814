/**
 * File names as the kernel gives them: relative paths held as raw bytes, directory listing with
 * readdir, and the filter interface that leaves paths out.
 */
package io.watchsync.agent.fs;
