package io.watchsync.agent.config;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a configuration names on this machine that could never work, refused before anything runs: a
 * source that is not a directory, a password file rsync would refuse. Each check throws {@link
 * IllegalArgumentException} whose message starts with the path and says what is wrong; the caller
 * adds the file, line and key (or the option). The password file is never opened: its content
 * cannot end up in a message.
 */
public final class OnDiskRules {
  private static final int ROOT = 0;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int PERMISSIONS = 07777;
  private static final int GROUP = 0070;
  private static final int OTHERS = 0007;
  private static final int OTHERS_READ = 0004;

  private OnDiskRules() {}

  /** The source must be an existing directory (a symlink to one will do). */
  public static Path sourceDirectory(Path source) {
    if (Files.isDirectory(source)) {
      return source;
    }
    if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(source + ": not a directory");
    }
    throw new IllegalArgumentException(source + ": no such directory");
  }

  /**
   * The password file must be a regular file this user can read, that others cannot access (rsync:
   * "password file must not be other-accessible") and, when running as root, owned by root (rsync:
   * "password file must be owned by root when running as root").
   */
  public static Path passwordFile(Path file) {
    int mode;
    int owner;
    try {
      Map<String, Object> unix = Files.readAttributes(file, "unix:mode,uid");
      mode = (Integer) unix.get("mode");
      owner = (Integer) unix.get("uid");
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be examined: " + e.getMessage());
    }
    if ((mode & S_IFMT) != S_IFREG) {
      throw new IllegalArgumentException(file + ": not a regular file");
    }
    if ((mode & OTHERS) != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: mode %04o, rsync refuses a password file others can %s (chmod 600)",
              file, mode & PERMISSIONS, (mode & OTHERS_READ) != 0 ? "read" : "access"));
    }
    if (runningAsRoot()) {
      if (owner != ROOT) {
        throw new IllegalArgumentException(
            file
                + ": owned by uid "
                + owner
                + ", rsync run by root refuses a password file root does not own (chown root)");
      }
    } else if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(file + ": this user cannot read it");
    }
    return file;
  }

  /** True when group members may read, write or execute it: rsync allows it, check warns. */
  public static boolean groupAccessible(Path file) throws IOException {
    return ((Integer) Files.getAttribute(file, "unix:mode") & GROUP) != 0;
  }

  /**
   * The quick form's {@code --source} and {@code --password-file}, checked as above.
   *
   * @throws ConfigException {@code --password-file /path: mode 0644, …}
   */
  public static AgentConfig checkQuickForm(AgentConfig config, Path passwordFile)
      throws ConfigException {
    try {
      sourceDirectory(config.source());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--source " + e.getMessage());
    }
    if (passwordFile != null) {
      try {
        passwordFile(passwordFile.toAbsolutePath().normalize());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--password-file " + e.getMessage());
      }
    }
    return config;
  }

  static boolean runningAsRoot() {
    return new UnixSystem().getUid() == ROOT;
  }
}
