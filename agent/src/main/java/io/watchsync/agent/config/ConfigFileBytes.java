package io.watchsync.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a configuration file whole, refusing what cannot be one: a directory, or a file larger than
 * 1 MiB (so a wrong path to a large file is not read into memory). Every problem is a {@link
 * ConfigException} naming the file.
 */
public final class ConfigFileBytes {
  private static final int MAX_SIZE = 1024 * 1024;

  private ConfigFileBytes() {}

  /**
   * The bytes of {@code file}.
   *
   * @param kind what the file should be, for messages: "a configuration file", "a sersync
   *     confxml.xml"
   */
  public static byte[] read(Path file, String kind) throws ConfigException {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(file + ": is a directory, not " + kind);
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_SIZE + 1);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": permission denied");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (bytes.length > MAX_SIZE) {
      throw new ConfigException(file + ": larger than " + MAX_SIZE / 1024 + " KiB; not " + kind);
    }
    return bytes;
  }
}
