package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packages a closure may choose from (architectures accepted, module streams filtered), with
 * the indexes that answer "what provides X": capability names, file paths, names.
 */
public final class Pool {
  private final List<Pkg> packages = new ArrayList<>();
  private final Map<String, List<Pkg>> byName = new HashMap<>();
  private final Map<String, List<Pkg>> byCapability = new HashMap<>();
  private final Map<String, List<Pkg>> byFile = new HashMap<>();
  private final Map<String, List<Pkg>> byObsoleted = new HashMap<>();
  private final Map<String, Pkg> byChecksum = new HashMap<>();
  private final List<Pkg> supplementing = new ArrayList<>();

  public Pool(Collection<Pkg> visible) {
    for (Pkg p : visible) {
      packages.add(p);
      byName.computeIfAbsent(p.name(), k -> new ArrayList<>(2)).add(p);
      for (Dep d : p.provides()) {
        List<Pkg> list = byCapability.computeIfAbsent(d.name(), k -> new ArrayList<>(2));
        if (list.isEmpty() || list.get(list.size() - 1) != p) {
          list.add(p);
        }
      }
      for (String f : p.files()) {
        byFile.computeIfAbsent(f, k -> new ArrayList<>(1)).add(p);
      }
      for (Dep d : p.obsoletes()) {
        byObsoleted.computeIfAbsent(d.name(), k -> new ArrayList<>(1)).add(p);
      }
      if (!p.supplements().isEmpty()) {
        supplementing.add(p);
      }
      if (p.checksum() != null) {
        byChecksum.put(p.checksum(), p);
      }
    }
  }

  public List<Pkg> packages() {
    return packages;
  }

  public List<Pkg> named(String name) {
    return byName.getOrDefault(name, List.of());
  }

  public Set<String> names() {
    return byName.keySet();
  }

  List<Pkg> supplementing() {
    return supplementing;
  }

  /** Packages whose Obsoletes name {@code name}. */
  List<Pkg> obsoleting(String name) {
    return byObsoleted.getOrDefault(name, List.of());
  }

  /** Records a file that filelists.xml lists for the package of {@code checksum}. */
  public void addFile(String checksum, String path) {
    Pkg p = byChecksum.get(checksum);
    if (p != null) {
      List<Pkg> list = byFile.computeIfAbsent(path, k -> new ArrayList<>(1));
      if (!list.contains(p)) {
        list.add(p);
      }
    }
  }

  /** The packages that satisfy a plain (not rich) requirement. */
  List<Pkg> whatProvides(Dep req) {
    List<Pkg> out = new ArrayList<>();
    if (req.name().startsWith("/")) {
      out.addAll(byFile.getOrDefault(req.name(), List.of()));
    }
    for (Pkg p : byCapability.getOrDefault(req.name(), List.of())) {
      if (provides(p, req) && !out.contains(p)) {
        out.add(p);
      }
    }
    // A package always provides its own name, even where the metadata leaves it out.
    for (Pkg p : byName.getOrDefault(req.name(), List.of())) {
      if (!out.contains(p) && Capabilities.matchesEvr(p.evr(), req)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Whether {@code p} provides the plain requirement {@code req}. */
  static boolean provides(Pkg p, Dep req) {
    for (Dep d : p.provides()) {
      if (d.name().equals(req.name()) && Capabilities.matches(d, req)) {
        return true;
      }
    }
    if (p.name().equals(req.name()) && Capabilities.matchesEvr(p.evr(), req)) {
      return true;
    }
    return req.name().startsWith("/") && p.files().contains(req.name());
  }
}
