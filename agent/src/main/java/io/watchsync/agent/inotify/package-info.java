/**
 * The Linux inotify API: its own native binding (inotify_init1, inotify_add_watch,
 * inotify_rm_watch), event masks, parsed events and the kernel's watch limits.
 */
package io.watchsync.agent.inotify;
