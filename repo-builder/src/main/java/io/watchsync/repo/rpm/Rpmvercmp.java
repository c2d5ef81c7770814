package io.watchsync.repo.rpm;

/**
 * rpm's version comparison (rpmvercmp): segments of digits compare as numbers, segments of
 * letters as text, a numeric segment is newer than an alphabetic one, '~' sorts before anything
 * (even the end: 1.0~rc1 &lt; 1.0) and '^' after the end but before anything else (1.0 &lt; 1.0^git1
 * &lt; 1.0.1).
 */
public final class Rpmvercmp {
  private Rpmvercmp() {}

  /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
  public static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && !isAlnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
        i++;
      }
      while (j < b.length() && !isAlnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
        j++;
      }
      boolean tildeA = i < a.length() && a.charAt(i) == '~';
      boolean tildeB = j < b.length() && b.charAt(j) == '~';
      if (tildeA || tildeB) {
        if (!tildeA) {
          return 1;
        }
        if (!tildeB) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      boolean caretA = i < a.length() && a.charAt(i) == '^';
      boolean caretB = j < b.length() && b.charAt(j) == '^';
      if (caretA || caretB) {
        if (i >= a.length()) {
          return -1;
        }
        if (j >= b.length()) {
          return 1;
        }
        if (!caretA) {
          return 1;
        }
        if (!caretB) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (i >= a.length() || j >= b.length()) {
        break;
      }
      int startA = i;
      int startB = j;
      boolean numeric = isDigit(a.charAt(i));
      if (numeric) {
        while (i < a.length() && isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && isDigit(b.charAt(j))) {
          j++;
        }
      } else {
        while (i < a.length() && isAlpha(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && isAlpha(b.charAt(j))) {
          j++;
        }
      }
      if (startB == j) {
        // Segments of different kinds: the numeric one is newer.
        return numeric ? 1 : -1;
      }
      String segA = a.substring(startA, i);
      String segB = b.substring(startB, j);
      if (numeric) {
        segA = stripLeadingZeros(segA);
        segB = stripLeadingZeros(segB);
        if (segA.length() != segB.length()) {
          return segA.length() > segB.length() ? 1 : -1;
        }
      }
      int cmp = segA.compareTo(segB);
      if (cmp != 0) {
        return cmp < 0 ? -1 : 1;
      }
    }
    if (i >= a.length() && j >= b.length()) {
      return 0;
    }
    return i >= a.length() ? -1 : 1;
  }

  private static String stripLeadingZeros(String s) {
    int k = 0;
    while (k < s.length() - 1 && s.charAt(k) == '0') {
      k++;
    }
    return s.substring(k);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isDigit(c) || isAlpha(c);
  }
}
