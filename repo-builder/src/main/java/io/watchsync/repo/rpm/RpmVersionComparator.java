package io.watchsync.repo.rpm;

import java.util.Comparator;

/**
 * Orders {@link Evr}s the way rpm and dnf do: epochs as numbers (a missing epoch is 0), then
 * version and release with {@link #rpmvercmp(String, String)}.
 */
public final class RpmVersionComparator implements Comparator<Evr> {
  public static final RpmVersionComparator INSTANCE = new RpmVersionComparator();

  private RpmVersionComparator() {}

  @Override
  public int compare(Evr a, Evr b) {
    int byEpoch = Long.compare(a.epoch(), b.epoch());
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byVersion = rpmvercmp(a.version(), b.version());
    return byVersion != 0 ? byVersion : rpmvercmp(a.release(), b.release());
  }

  /**
   * rpm's {@code rpmvercmp()} (rpmio/rpmvercmp.c): -1, 0 or 1 as {@code a} is older than, equal to
   * or newer than {@code b}.
   *
   * <p>Both strings are split into runs of ASCII digits and runs of ASCII letters; every other
   * character only separates runs, so "2.0" equals "2_0". Runs are compared pairwise: numbers by
   * value (leading zeros ignored, no overflow), letters byte by byte, and a number is newer than
   * letters. {@code ~} sorts before everything, even the end of the string ("1.0~rc1" is older than
   * "1.0"); {@code ^} sorts after the end of the string but before anything else ("1.0^git1" is
   * newer than "1.0" and older than "1.0.1"). When every run matched, the string with something
   * left over is newer.
   */
  public static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && isSeparator(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && isSeparator(b.charAt(j))) {
        j++;
      }
      char one = i < a.length() ? a.charAt(i) : 0;
      char two = j < b.length() ? b.charAt(j) : 0;

      if (one == '~' || two == '~') {
        if (one != '~') {
          return 1;
        }
        if (two != '~') {
          return -1;
        }
        i++;
        j++;
        continue;
      }

      if (one == '^' || two == '^') {
        if (i == a.length()) {
          return -1;
        }
        if (j == b.length()) {
          return 1;
        }
        if (one != '^') {
          return 1;
        }
        if (two != '^') {
          return -1;
        }
        i++;
        j++;
        continue;
      }

      if (i == a.length() || j == b.length()) {
        break;
      }

      boolean numeric = isDigit(one);
      int endA = endOfRun(a, i, numeric);
      int endB = endOfRun(b, j, numeric);
      if (endB == j) {
        // b has a run of the other kind here: a number is newer than letters.
        return numeric ? 1 : -1;
      }
      String runA = a.substring(i, endA);
      String runB = b.substring(j, endB);
      if (numeric) {
        runA = stripLeadingZeros(runA);
        runB = stripLeadingZeros(runB);
        if (runA.length() != runB.length()) {
          return runA.length() > runB.length() ? 1 : -1;
        }
      }
      int rc = runA.compareTo(runB);
      if (rc != 0) {
        return rc < 0 ? -1 : 1;
      }
      i = endA;
      j = endB;
    }
    if (i == a.length() && j == b.length()) {
      return 0;
    }
    return i == a.length() ? -1 : 1;
  }

  private static boolean isSeparator(char c) {
    return !isDigit(c) && !isLetter(c) && c != '~' && c != '^';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int endOfRun(String s, int from, boolean numeric) {
    int end = from;
    while (end < s.length() && (numeric ? isDigit(s.charAt(end)) : isLetter(s.charAt(end)))) {
      end++;
    }
    return end;
  }

  private static String stripLeadingZeros(String digits) {
    int k = 0;
    while (k < digits.length() && digits.charAt(k) == '0') {
      k++;
    }
    return digits.substring(k);
  }
}
