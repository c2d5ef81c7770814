package io.watchsync.repo.mirror.resolve;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which package architectures a mirror for some base architectures takes, best first, as dnf's arch
 * tables have them: x86_64 hosts also run i686 (multilib), every host runs noarch.
 */
public final class Arches {
  private final List<String> bases;
  private final List<String> order;

  private Arches(List<String> bases, List<String> order) {
    this.bases = bases;
    this.order = order;
  }

  /** For the given base architectures ({@code x86_64}, {@code aarch64}, …). */
  public static Arches of(List<String> bases) {
    Set<String> order = new LinkedHashSet<>();
    for (String base : bases) {
      order.addAll(compatible(base));
    }
    order.add("noarch");
    return new Arches(List.copyOf(bases), List.copyOf(order));
  }

  /** The base architecture of the machine running us, as dnf's $basearch spells it. */
  public static String machine() {
    String arch = System.getProperty("os.arch", "x86_64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "x86", "i386", "i486", "i586", "i686" -> "i686";
      default -> arch;
    };
  }

  private static List<String> compatible(String base) {
    return switch (base) {
      case "x86_64" -> List.of("x86_64", "athlon", "i686", "i586", "i486", "i386");
      case "i686", "i386" -> List.of("i686", "i586", "i486", "i386");
      case "s390x" -> List.of("s390x", "s390");
      case "ppc64" -> List.of("ppc64", "ppc");
      default -> List.of(base);
    };
  }

  /** The base architectures, as given. */
  public List<String> bases() {
    return bases;
  }

  public boolean accepts(String arch) {
    return order.contains(arch);
  }

  /**
   * Lower is better: 0 for a base architecture and noarch (they install side by side), then the
   * multilib arches in dnf's order.
   */
  public int rank(String arch) {
    if (arch.equals("noarch") || bases.contains(arch)) {
      return 0;
    }
    int i = order.indexOf(arch);
    return i < 0 ? Integer.MAX_VALUE : i + 1;
  }
}
