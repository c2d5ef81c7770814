package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.metadata.Dependency;
import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.rpm.Evr;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package argument with a version condition, {@code 'rsync >= 3.2'} (spaces optional), read as
 * dnf reads it: a requirement that the packages providing it, in a matching version, satisfy.
 */
final class Relation {
  private static final Pattern FORM =
      Pattern.compile("([^\\s<>=]+)\\s*(<=|>=|==|=|<|>)\\s*([^\\s<>=]+)");

  private Relation() {}

  /** The requirement {@code arg} states, or null when it states no version condition. */
  static Dep parse(String arg) {
    Matcher m = FORM.matcher(arg.strip());
    if (!m.matches()) {
      return null;
    }
    String[] evr = Dependency.splitEvr(m.group(3));
    if (evr == null || evr[1] == null || evr[1].isEmpty()) {
      return null;
    }
    String flags =
        switch (m.group(2)) {
          case "=", "==" -> "EQ";
          case "<" -> "LT";
          case ">" -> "GT";
          case "<=" -> "LE";
          default -> "GE";
        };
    try {
      return new Dep(m.group(1), flags, new Evr(Long.parseLong(evr[0]), evr[1], evr[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
