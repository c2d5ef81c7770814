package io.watchsync.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A directory as the kernel knows it: its file system's device number and its inode. A path that
 * shows another identity now is another directory: an unmounted mount point shows the directory
 * underneath, a new file system mounted there shows its own root.
 */
record DirectoryIdentity(long device, long inode) {

  /** The identity of the directory at {@code dir} (symbolic links followed). */
  static DirectoryIdentity of(Path dir) throws IOException {
    Map<String, Object> a = Files.readAttributes(dir, "unix:dev,ino,mode");
    int mode = ((Number) a.get("mode")).intValue();
    if ((mode & 0170000) != 0040000) {
      throw new IOException(dir + " is not a directory");
    }
    return new DirectoryIdentity(
        ((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
  }
}
