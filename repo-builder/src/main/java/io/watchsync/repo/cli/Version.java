package io.watchsync.repo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar, for {@code repo-builder --version}. */
public final class Version implements IVersionProvider {

  public static String number() {
    Properties p = new Properties();
    try (InputStream in =
        Version.class.getResourceAsStream("/io/watchsync/repo/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "repo-builder " + number(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
