package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Modules;
import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dnf's modular filtering: packages of a module stream are visible only when that stream is active
 * (the default stream, or one named with --module NAME:STREAM, and the streams those require), and
 * a package outside modules is hidden when an active stream ships a package of the same name.
 */
public final class ModuleFilter {
  private final Set<String> modular;
  private final Set<String> active = new HashSet<>();
  private final Set<String> activeNames = new HashSet<>();
  private final List<String> streams = new ArrayList<>();

  /**
   * @param requested module name to stream, from --module (overrides the defaults)
   */
  public ModuleFilter(Modules modules, Map<String, String> requested) {
    this.modular = modules.allArtifacts();
    Map<String, String> enabled = new HashMap<>(modules.defaults());
    enabled.putAll(requested);
    // Required module streams are enabled too, until nothing more is needed.
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Modules.Build b : modules.builds()) {
        if (!b.stream().equals(enabled.get(b.name()))) {
          continue;
        }
        for (Map.Entry<String, List<String>> r : b.requires().entrySet()) {
          if (!enabled.containsKey(r.getKey()) && !r.getValue().isEmpty() && known(modules, r)) {
            enabled.put(r.getKey(), r.getValue().get(0));
            changed = true;
          }
        }
      }
    }
    // Of each stream and context, the newest build.
    Map<String, Modules.Build> newest = new HashMap<>();
    for (Modules.Build b : modules.builds()) {
      if (b.stream().equals(enabled.get(b.name()))) {
        newest.merge(
            b.name() + ":" + b.stream() + ":" + b.context(),
            b,
            (x, y) -> y.version() > x.version() ? y : x);
      }
    }
    for (Modules.Build b : newest.values()) {
      active.addAll(b.artifacts());
      for (String nevra : b.artifacts()) {
        activeNames.add(nameOf(nevra));
      }
    }
    enabled.forEach((name, stream) -> streams.add(name + ":" + stream));
  }

  private static boolean known(Modules modules, Map.Entry<String, List<String>> r) {
    return modules.builds().stream().anyMatch(b -> b.name().equals(r.getKey()));
  }

  /** The streams taken as active, NAME:STREAM. */
  public List<String> streams() {
    return streams;
  }

  public boolean visible(Pkg p) {
    String nevra = p.moduleNevra();
    if (modular.contains(nevra)) {
      return active.contains(nevra);
    }
    return !activeNames.contains(p.name());
  }

  public boolean modular(Pkg p) {
    return modular.contains(p.moduleNevra());
  }

  /** The name of name-epoch:version-release.arch. */
  static String nameOf(String nevra) {
    int dot = nevra.lastIndexOf('.');
    String nevr = dot < 0 ? nevra : nevra.substring(0, dot);
    int release = nevr.lastIndexOf('-');
    int version = release < 0 ? -1 : nevr.lastIndexOf('-', release - 1);
    return version < 0 ? nevr : nevr.substring(0, version);
  }
}
