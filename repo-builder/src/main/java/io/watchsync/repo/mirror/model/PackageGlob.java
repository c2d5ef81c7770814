package io.watchsync.repo.mirror.model;

import java.util.regex.Pattern;

/**
 * A package glob as dnf reads one (in arguments and in a .repo's includepkgs= and exclude=): {@code
 * *} any run of characters, {@code ?} one, {@code [...]} a set; everything else literal.
 */
public final class PackageGlob {
  private PackageGlob() {}

  /** The pattern matching exactly what {@code glob} matches. */
  public static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[', ']' -> re.append(c);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
