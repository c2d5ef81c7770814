package io.watchsync.repo.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders packaging/launcher.in, the shell script that finds a Java 17+ runtime and runs a jar, for
 * one command. Placeholders: @NAME@, @JAR@, @SYSCONFIG@, @OPTS_VAR@. The one renderer of the
 * launcher: the rpm ships what it renders, and scripts/build-dist puts the rpm's launcher in the
 * release tarball.
 */
public final class LauncherScript {
  private static final Pattern LEFTOVER = Pattern.compile("@[A-Z_]+@");

  private LauncherScript() {}

  /**
   * @param name the command name, e.g. watchsync
   * @param jar the jar it runs: a path under the prefix the launcher is installed in (the parent of
   *     its bin/ directory), or an absolute path
   * @param sysconfig the files with its JVM options, space-separated: the first that exists is read
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
