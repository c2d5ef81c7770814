package io.watchsync.repo.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders packaging/launcher.in, the /usr/bin shell script that finds a Java 17+ runtime and runs a
 * jar, for one command. Placeholders: @NAME@, @JAR@, @SYSCONFIG@, @OPTS_VAR@.
 */
public final class LauncherScript {
  private static final Pattern LEFTOVER = Pattern.compile("@[A-Z_]+@");

  private LauncherScript() {}

  /**
   * @param name the command name, e.g. watchsync
   * @param jar absolute path of the jar it runs
   * @param sysconfig the file with its JVM options (read only if present)
   * @param optsVariable the variable holding its own JVM options, e.g. WATCHSYNC_JAVA_OPTS
   */
  public static String render(
      Path template, String name, String jar, String sysconfig, String optsVariable)
      throws PackagingException {
    String text;
    try {
      text = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PackagingException("cannot read " + template + ": " + e.getMessage(), e);
    }
    String rendered =
        text.replace("@NAME@", name)
            .replace("@JAR@", jar)
            .replace("@SYSCONFIG@", sysconfig)
            .replace("@OPTS_VAR@", optsVariable);
    Matcher leftover = LEFTOVER.matcher(rendered);
    if (leftover.find()) {
      throw new PackagingException(template + ": unknown placeholder " + leftover.group());
    }
    return rendered;
  }
}
