package io.watchsync.repo.build;

import java.util.Objects;

/**
 * A Requires entry. {@code sense} holds rpm's RPMSENSE_* bits: the comparison (LESS, GREATER,
 * EQUAL) and, for Requires(post) and friends, the scriptlet bits.
 */
public record Requirement(String name, int sense, String version) {
  public static final int LESS = 1 << 1;
  public static final int GREATER = 1 << 2;
  public static final int EQUAL = 1 << 3;
  public static final int SCRIPT_PRE = 1 << 9;
  public static final int SCRIPT_POST = 1 << 10;
  public static final int SCRIPT_PREUN = 1 << 11;
  public static final int SCRIPT_POSTUN = 1 << 12;
  public static final int RPMLIB = (1 << 24) | (1 << 6);

  public Requirement {
    Objects.requireNonNull(name, "name");
    version = version == null ? "" : version;
  }

  /** {@code Requires: name}, any version. */
  public static Requirement of(String name) {
    return new Requirement(name, 0, "");
  }

  /** {@code Requires: name >= version}. */
  public static Requirement atLeast(String name, String version) {
    return new Requirement(name, GREATER | EQUAL, version);
  }

  /** {@code Requires(post,preun,...): name}: needed only while the given scriptlets run. */
  public static Requirement forScriptlets(String name, int scriptletBits) {
    return new Requirement(name, scriptletBits, "");
  }

  /** True for rich (boolean) dependencies such as {@code (a or b)}. */
  public boolean isRich() {
    return name.startsWith("(");
  }
}
