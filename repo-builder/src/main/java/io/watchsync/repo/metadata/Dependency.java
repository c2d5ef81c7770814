package io.watchsync.repo.metadata;

/**
 * One entry of a package's provides, requires, conflicts, obsoletes or weak dependencies, as
 * repository metadata records it: {@code flags} is null for an unversioned entry, otherwise one of
 * EQ, LT, GT, LE, GE; {@code epoch}, {@code version} and {@code release} are null when absent.
 */
public record Dependency(
    String name, String flags, String epoch, String version, String release, boolean pre) {

  private static final int LESS = 2;
  private static final int GREATER = 4;
  private static final int EQUAL = 8;

  /** rpm's comparison bits (RPMSENSE_LESS/GREATER/EQUAL) as metadata spells them; null if none. */
  public static String flagsOf(long sense) {
    return switch ((int) (sense & 0xf)) {
      case LESS -> "LT";
      case GREATER -> "GT";
      case EQUAL -> "EQ";
      case LESS | EQUAL -> "LE";
      case GREATER | EQUAL -> "GE";
      default -> null;
    };
  }

  /**
   * Splits a dependency's version string {@code [epoch:]version[-release]} the way createrepo_c
   * does: no epoch means "0"; the release starts at the first '-' after the epoch. Returns null
   * when the epoch is not a number (createrepo_c drops such an entry) and an all-null triple for an
   * empty string.
   */
  public static String[] splitEvr(String evr) {
    if (evr == null || evr.isEmpty()) {
      return new String[3];
    }
    int colon = evr.indexOf(':');
    String epoch = "0";
    int rest = 0;
    if (colon >= 0) {
      String e = evr.substring(0, colon);
      if (!leadingNumber(e)) {
        return null;
      }
      epoch = e.isEmpty() ? "0" : e;
      rest = colon + 1;
    }
    int dash = evr.indexOf('-', rest);
    if (dash < 0) {
      return new String[] {epoch, evr.substring(rest), null};
    }
    String release = evr.substring(dash + 1);
    return new String[] {epoch, evr.substring(rest, dash), release.isEmpty() ? null : release};
  }

  /** strtol's view: the whole text before ':' is an optionally signed decimal number. */
  private static boolean leadingNumber(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return s.isEmpty() || (i > digits && i == s.length());
  }
}
