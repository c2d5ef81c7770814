package io.watchsync.repo.mirror.model;

import io.watchsync.repo.rpm.Evr;

/**
 * One capability entry as primary.xml records it: a name, and for a versioned entry a comparison
 * ({@code EQ LT GT LE GE}) with an EVR whose release may be null ("any release"). A name starting
 * with '(' is a rich (boolean) dependency, to be read with {@code RichDep}.
 */
public record Dep(String name, String flags, Evr evr) {
  public boolean versioned() {
    return flags != null && evr != null;
  }

  public boolean rich() {
    return name.startsWith("(");
  }

  @Override
  public String toString() {
    if (!versioned()) {
      return name;
    }
    String op =
        switch (flags) {
          case "EQ" -> "=";
          case "LT" -> "<";
          case "GT" -> ">";
          case "LE" -> "<=";
          case "GE" -> ">=";
          default -> flags;
        };
    String e = evr.epoch() != 0 ? evr.epoch() + ":" : "";
    return name
        + " "
        + op
        + " "
        + e
        + evr.version()
        + (evr.release() == null ? "" : "-" + evr.release());
  }
}
