/**
 * The general C library binding (descriptors, directories, links) and its errors: errno values and
 * the exception that names the failed call, its argument and the errno.
 */
package io.watchsync.agent.posix;
