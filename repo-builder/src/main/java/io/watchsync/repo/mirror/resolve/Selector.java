package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.CompsGroups;
import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.mirror.model.PackageGlob;
import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the command line's package arguments into the packages the closure starts from, as {@code
 * dnf install} reads them: a name or name.arch, a glob over names, a name with a version
 * (name-[epoch:]version[-release][.arch]), {@code @group} from comps, a file path or any other
 * capability ('java-17-headless'), with a version condition or not ('rsync >= 3.2'). As {@code dnf
 * download} takes them: of a name or glob, the newest {@code keep} versions of every accepted
 * architecture (x86_64 and i686 on x86_64); of a capability, of every package providing it. A
 * group's packages come in the best architecture only, as {@code dnf group install} takes them.
 */
public final class Selector {
  /** The packages chosen, and the arguments nothing matched. */
  public record Selection(Set<Pkg> roots, List<String> unmatched) {}

  private final Pool pool;
  private final CompsGroups groups;
  private final Arches arches;
  private final int keep;

  public Selector(Pool pool, CompsGroups groups, Arches arches, int keep) {
    this.pool = pool;
    this.groups = groups;
    this.arches = arches;
    this.keep = Math.max(1, keep);
  }

  public Selection select(List<String> args) {
    Set<Pkg> roots = new LinkedHashSet<>();
    List<String> unmatched = new ArrayList<>();
    for (String arg : args) {
      if (!selectOne(arg, roots)) {
        unmatched.add(arg);
      }
    }
    return new Selection(roots, unmatched);
  }

  /** Every package: the newest {@code keep} versions of each name.arch. */
  public Set<Pkg> all() {
    return new LinkedHashSet<>(newest(pool.packages(), false));
  }

  private boolean selectOne(String arg, Set<Pkg> roots) {
    if (arg.startsWith("@")) {
      List<String> names = groups.packages(arg.substring(1));
      if (names == null) {
        return false;
      }
      for (String name : names) {
        roots.addAll(newest(pool.named(name), true)); // a group may name absent packages
      }
      return true;
    }
    if (!arg.startsWith("/") && (arg.contains("*") || arg.contains("?") || arg.contains("["))) {
      Pattern glob = PackageGlob.compile(arg);
      List<Pkg> matched = new ArrayList<>();
      for (String name : pool.names()) {
        for (Pkg p : pool.named(name)) {
          if (glob.matcher(name).matches() || glob.matcher(name + "." + p.arch()).matches()) {
            matched.add(p);
          }
        }
      }
      roots.addAll(newest(matched, false));
      return !matched.isEmpty();
    }
    List<Pkg> byName = pool.named(arg);
    if (!byName.isEmpty()) {
      roots.addAll(newest(byName, false));
      return true;
    }
    int dot = arg.lastIndexOf('.');
    if (dot > 0) {
      String arch = arg.substring(dot + 1);
      List<Pkg> byNameArch =
          pool.named(arg.substring(0, dot)).stream().filter(p -> p.arch().equals(arch)).toList();
      if (!byNameArch.isEmpty()) {
        roots.addAll(newest(byNameArch, false));
        return true;
      }
    }
    for (Nevra form : Nevra.forms(arg)) {
      List<Pkg> versions = pool.named(form.name()).stream().filter(form::matches).toList();
      if (!versions.isEmpty()) {
        roots.addAll(newest(versions, false));
        return true;
      }
    }
    Dep relation = Relation.parse(arg);
    List<Pkg> providers = pool.whatProvides(relation != null ? relation : new Dep(arg, null, null));
    roots.addAll(newest(providers, false));
    return !providers.isEmpty();
  }

  /** The newest {@code keep} of each name.arch; of the best arch only when {@code bestArch}. */
  private List<Pkg> newest(List<Pkg> packages, boolean bestArch) {
    Map<String, List<Pkg>> byNameArch = new LinkedHashMap<>();
    Map<String, Integer> bestRank = new LinkedHashMap<>();
    for (Pkg p : packages) {
      byNameArch.computeIfAbsent(p.name() + "." + p.arch(), k -> new ArrayList<>()).add(p);
      bestRank.merge(p.name(), arches.rank(p.arch()), Math::min);
    }
    List<Pkg> out = new ArrayList<>();
    for (List<Pkg> versions : byNameArch.values()) {
      Pkg any = versions.get(0);
      if (bestArch && arches.rank(any.arch()) != bestRank.get(any.name())) {
        continue;
      }
      versions.sort(Comparator.comparing(Pkg::evr).reversed());
      out.addAll(versions.subList(0, Math.min(keep, versions.size())));
    }
    return out;
  }
}
