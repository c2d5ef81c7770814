package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.rpm.Evr;
import io.watchsync.repo.rpm.RpmVersionComparator;

/** Whether a provide satisfies a requirement, by rpm's range overlap (rpmdsCompare). */
final class Capabilities {
  private static final int LESS = 1;
  private static final int GREATER = 2;
  private static final int EQUAL = 4;

  private Capabilities() {}

  /** Same name assumed. An unversioned provide or requirement matches any version. */
  static boolean matches(Dep provide, Dep require) {
    if (!provide.versioned() || !require.versioned()) {
      return true;
    }
    return overlap(sense(provide.flags()), provide.evr(), sense(require.flags()), require.evr());
  }

  /** Whether the package of {@code evr} (as "NAME = EVR") satisfies {@code require}. */
  static boolean matchesEvr(Evr evr, Dep require) {
    if (!require.versioned()) {
      return true;
    }
    return overlap(EQUAL, evr, sense(require.flags()), require.evr());
  }

  private static boolean overlap(int a, Evr ea, int b, Evr eb) {
    int cmp = compare(ea, eb);
    if (cmp < 0) {
      return (a & GREATER) != 0 || (b & LESS) != 0;
    }
    if (cmp > 0) {
      return (a & LESS) != 0 || (b & GREATER) != 0;
    }
    return ((a & EQUAL) != 0 && (b & EQUAL) != 0)
        || ((a & LESS) != 0 && (b & LESS) != 0)
        || ((a & GREATER) != 0 && (b & GREATER) != 0);
  }

  /** rpm's order; a release missing on either side is not compared ("any release"). */
  static int compare(Evr a, Evr b) {
    int byEpoch = Long.compare(a.epoch(), b.epoch());
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byVersion = RpmVersionComparator.rpmvercmp(a.version(), b.version());
    if (byVersion != 0 || a.release() == null || b.release() == null) {
      return byVersion;
    }
    return RpmVersionComparator.rpmvercmp(a.release(), b.release());
  }

  private static int sense(String flags) {
    return switch (flags) {
      case "LT" -> LESS;
      case "GT" -> GREATER;
      case "EQ" -> EQUAL;
      case "LE" -> LESS | EQUAL;
      case "GE" -> GREATER | EQUAL;
      default -> 0;
    };
  }
}
