package io.watchsync.agent.config;

import java.nio.file.Path;

/**
 * One backup target.
 *
 * @param name unique, used in logs and in the state directory's name
 * @param url {@code rsync://user@host[:port]/module[/path]}, {@code [user@]host:/path} or a local
 *     directory
 * @param passwordFile the rsync daemon password file, or null
 * @param workers rsync processes that may run at once for this target
 * @param ssh the remote shell for ssh targets (e.g. {@code ssh -p 2222 -i /root/.ssh/key}), or null
 *     for the default
 */
public record TargetConfig(String name, String url, Path passwordFile, int workers, String ssh) {
  public static final int DEFAULT_WORKERS = 2;
}
