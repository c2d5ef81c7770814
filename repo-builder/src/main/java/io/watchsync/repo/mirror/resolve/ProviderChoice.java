package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of several packages providing one capability to take, by the preferences of libsolv's
 * policy as dnf applies it: the architecture of the package that asks (or the best one), the newest
 * version of each name, a name already taken, then the first name in byte order (libsolv sorts the
 * candidates by name and takes the first: dnf picks aaa-provider over zz-p).
 */
final class ProviderChoice {
  private final Arches arches;

  ProviderChoice(Arches arches) {
    this.arches = arches;
  }

  /** The one package dnf would pick; {@code by} (may be null) is the package that asks. */
  Pkg best(Collection<Pkg> candidates, Pkg by, Collection<String> chosenNames) {
    List<Pkg> newest = newestPerName(bestArch(candidates, by));
    return newest.stream()
        .min(
            Comparator.comparing((Pkg p) -> !chosenNames.contains(p.name()))
                .thenComparing(Pkg::name))
        .orElse(null);
  }

  /**
   * One package per name (the newest, of the best architecture): every provider, repotrack-like.
   */
  List<Pkg> all(Collection<Pkg> candidates, Pkg by) {
    return newestPerName(bestArch(candidates, by));
  }

  private List<Pkg> bestArch(Collection<Pkg> candidates, Pkg by) {
    if (by != null && !by.arch().equals("noarch")) {
      List<Pkg> same =
          candidates.stream()
              .filter(p -> p.arch().equals(by.arch()) || p.arch().equals("noarch"))
              .toList();
      if (!same.isEmpty()) {
        return same;
      }
    }
    int best = candidates.stream().mapToInt(p -> arches.rank(p.arch())).min().orElse(0);
    return candidates.stream().filter(p -> arches.rank(p.arch()) == best).toList();
  }

  static List<Pkg> newestPerName(Collection<Pkg> candidates) {
    Map<String, Pkg> newest = new LinkedHashMap<>();
    for (Pkg p : candidates) {
      newest.merge(p.name(), p, (a, b) -> b.evr().compareTo(a.evr()) > 0 ? b : a);
    }
    return new ArrayList<>(newest.values());
  }
}
