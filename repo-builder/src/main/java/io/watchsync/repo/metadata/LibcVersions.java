package io.watchsync.repo.metadata;

import io.watchsync.repo.rpm.RpmVersionComparator;

/**
 * createrepo_c keeps only the highest of a package's libc.so.6 requirements, comparing the version
 * inside the first parentheses: libc.so.6() &lt; libc.so.6(GLIBC_2.3.4)(64bit) &lt;
 * libc.so.6(GLIBC_2.4).
 */
final class LibcVersions {
  private LibcVersions() {}

  /** Whether {@code second} is the higher requirement (createrepo_c's compare result 2). */
  static boolean firstIsLower(String first, String second) {
    return compare(first, second) == 2;
  }

  /** 0 same, 1 first higher, 2 second higher, -1 neither has a closing parenthesis. */
  static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int open1 = a.indexOf('(');
    int open2 = b.indexOf('(');
    if (open1 < 0 && open2 < 0) {
      return 0;
    }
    if (open1 < 0) {
      return 2;
    }
    if (open2 < 0) {
      return 1;
    }
    int close1 = a.indexOf(')', open1);
    int close2 = b.indexOf(')', open2);
    if (close1 < 0 && close2 < 0) {
      return -1;
    }
    if (close1 < 0) {
      return 2;
    }
    if (close2 < 0) {
      return 1;
    }
    int v1 = open1 + 1;
    int v2 = open2 + 1;
    if (v1 == close1 && v2 == close2) {
      return 0;
    }
    if (v1 == close1) {
      return 2;
    }
    if (v2 == close2) {
      return 1;
    }
    v1 = firstDigit(a, v1);
    v2 = firstDigit(b, v2);
    if (v1 > close1 && v2 > close2) {
      return 0;
    }
    if (v1 > close1) {
      return 2;
    }
    if (v2 > close2) {
      return 1;
    }
    int cmp = RpmVersionComparator.rpmvercmp(a.substring(v1, close1), b.substring(v2, close2));
    return cmp < 0 ? 2 : cmp;
  }

  private static int firstDigit(String s, int from) {
    int i = from;
    while (i < s.length() && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
      i++;
    }
    return i;
  }
}
