package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dependency closure of a set of packages, as {@code dnf download --resolve --alldeps} takes it
 * on an empty system: Requires (versioned, files, virtual provides, rich), the packages that
 * obsolete a package taken, and unless turned off the weak ones (Recommends, and Supplements of
 * what was taken). A requirement nothing satisfies is a problem naming both; the rest goes on.
 */
public final class Resolver {
  /**
   * @param weakDeps follow Recommends and Supplements
   * @param allProviders take every provider of a capability (newest of each name), not only the one
   *     dnf would pick
   */
  public record Options(boolean weakDeps, boolean allProviders) {}

  /**
   * @param chosen every package of the closure, roots first
   * @param problems "NEVRA requires DEP: nothing provides it", one per unsatisfied requirement
   * @param unresolvedFiles file requirements no package is known to provide (read filelists.xml)
   */
  public record Result(Set<Pkg> chosen, List<String> problems, Set<String> unresolvedFiles) {}

  /** A conditional requirement (if/unless) waiting for the closure to settle. */
  private record Pending(RichDep.Op dep, Pkg by) {}

  private final Pool pool;
  private final Options options;
  private final ProviderChoice choice;
  private final Set<Pkg> chosen = new LinkedHashSet<>();
  private final Set<String> chosenNames = new HashSet<>();
  private final Deque<Pkg> work = new ArrayDeque<>();
  private final List<Pending> pending = new ArrayList<>();
  private final Set<Pending> fired = new HashSet<>();
  private final List<String> problems = new ArrayList<>();
  private final Set<String> unresolvedFiles = new LinkedHashSet<>();

  public Resolver(Pool pool, Arches arches, Options options) {
    this.pool = pool;
    this.options = options;
    this.choice = new ProviderChoice(arches);
  }

  public Result resolve(Collection<Pkg> roots) {
    for (Pkg root : roots) {
      take(root);
    }
    boolean settled = false;
    while (!settled) {
      drain();
      firePending(false);
      if (!work.isEmpty()) {
        continue;
      }
      takeSupplementing();
      if (!work.isEmpty()) {
        continue;
      }
      firePending(true);
      settled = work.isEmpty();
    }
    return new Result(chosen, problems, unresolvedFiles);
  }

  private void take(Pkg p) {
    if (chosen.add(p)) {
      chosenNames.add(p.name());
      work.add(p);
    }
  }

  private void drain() {
    while (!work.isEmpty()) {
      Pkg p = work.poll();
      for (Dep req : p.requires()) {
        if (!req.name().startsWith("rpmlib(")) {
          need(req, p, true);
        }
      }
      if (options.weakDeps()) {
        for (Dep rec : p.recommends()) {
          need(rec, p, false);
        }
      }
      takeObsoleters(p);
    }
  }

  /** dnf installs what obsoletes a package in its place: the mirror must hold it too. */
  private void takeObsoleters(Pkg p) {
    for (Pkg q : pool.obsoleting(p.name())) {
      if (q.name().equals(p.name()) || chosen.contains(q) || !newestOfNameArch(q)) {
        continue;
      }
      for (Dep o : q.obsoletes()) {
        if (o.name().equals(p.name()) && Capabilities.matchesEvr(p.evr(), o)) {
          take(q);
          break;
        }
      }
    }
  }

  private void takeSupplementing() {
    if (!options.weakDeps()) {
      return;
    }
    for (Pkg s : pool.supplementing()) {
      if (chosen.contains(s) || !newestOfNameArch(s)) {
        continue;
      }
      for (Dep d : s.supplements()) {
        RichDep tree = parse(d);
        if (tree != null && satisfied(tree)) {
          take(s);
          break;
        }
      }
    }
  }

  private boolean newestOfNameArch(Pkg p) {
    for (Pkg other : pool.named(p.name())) {
      if (other.arch().equals(p.arch()) && other.evr().compareTo(p.evr()) > 0) {
        return false;
      }
    }
    return true;
  }

  private void need(Dep dep, Pkg by, boolean strong) {
    RichDep tree = parse(dep);
    if (tree == null) {
      if (strong) {
        problems.add(by.nevra() + " requires " + dep.name() + ": not a dependency rpm can read");
      }
      return;
    }
    if (!require(tree, by) && strong) {
      problems.add(by.nevra() + " requires " + dep + ": nothing provides it");
    }
  }

  private static RichDep parse(Dep dep) {
    try {
      return RichDep.of(dep);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Takes what {@code tree} needs; false when nothing can satisfy it. */
  private boolean require(RichDep tree, Pkg by) {
    if (tree instanceof RichDep.Atom atom) {
      return requireAll(providers(atom.dep()), by);
    }
    RichDep.Op op = (RichDep.Op) tree;
    List<RichDep> args = op.args();
    switch (op.op()) {
      case "and" -> {
        boolean all = true;
        for (RichDep a : args) {
          all &= require(a, by);
        }
        return all;
      }
      case "or" -> {
        for (RichDep a : args) {
          if (satisfied(a)) {
            return true;
          }
        }
        boolean any = false;
        for (RichDep a : args) {
          if (resolvable(a)) {
            any |= require(a, by);
            if (!options.allProviders()) {
              break;
            }
          }
        }
        return any;
      }
      case "with", "without" -> {
        return requireAll(withOrWithout(op), by);
      }
      default -> {
        pending.add(new Pending(op, by)); // if / unless: once the closure settles
        return true;
      }
    }
  }

  private boolean requireAll(List<Pkg> candidates, Pkg by) {
    if (candidates.isEmpty()) {
      return false;
    }
    for (Pkg c : candidates) {
      if (chosen.contains(c)) {
        return true;
      }
    }
    if (options.allProviders()) {
      choice.all(candidates, by).forEach(this::take);
    } else {
      take(choice.best(candidates, by, chosenNames));
    }
    return true;
  }

  /**
   * Fires conditional requirements: an "if" whose condition holds; when {@code last}, also the
   * branches that depend on a condition not holding (else, unless), now that nothing more comes.
   */
  private void firePending(boolean last) {
    for (Pending p : List.copyOf(pending)) {
      if (fired.contains(p)) {
        continue;
      }
      List<RichDep> a = p.dep().args();
      boolean condition = satisfied(a.get(1));
      boolean isIf = p.dep().op().equals("if");
      RichDep branch;
      if (isIf) {
        branch = condition ? a.get(0) : (last && a.size() > 2 ? a.get(2) : null);
      } else {
        branch = !condition ? (last ? a.get(0) : null) : (a.size() > 2 ? a.get(2) : null);
      }
      if (branch != null) {
        fired.add(p);
        if (!require(branch, p.by())) {
          problems.add(p.by().nevra() + " requires " + p.dep() + ": nothing provides " + branch);
        }
      }
    }
  }

  private List<Pkg> providers(Dep dep) {
    List<Pkg> found = pool.whatProvides(dep);
    if (found.isEmpty() && dep.name().startsWith("/")) {
      unresolvedFiles.add(dep.name());
    }
    return found;
  }

  private List<Pkg> withOrWithout(RichDep.Op op) {
    if (!(op.args().get(0) instanceof RichDep.Atom a)
        || !(op.args().get(1) instanceof RichDep.Atom b)) {
      return List.of();
    }
    List<Pkg> first = providers(a.dep());
    List<Pkg> second = providers(b.dep());
    boolean with = op.op().equals("with");
    return first.stream().filter(p -> second.contains(p) == with).toList();
  }

  /** Whether the packages taken so far satisfy {@code tree}. */
  private boolean satisfied(RichDep tree) {
    if (tree instanceof RichDep.Atom atom) {
      for (Pkg p : pool.whatProvides(atom.dep())) {
        if (chosen.contains(p)) {
          return true;
        }
      }
      return false;
    }
    RichDep.Op op = (RichDep.Op) tree;
    List<RichDep> a = op.args();
    return switch (op.op()) {
      case "and" -> a.stream().allMatch(this::satisfied);
      case "or" -> a.stream().anyMatch(this::satisfied);
      case "if" -> satisfied(a.get(1)) ? satisfied(a.get(0)) : a.size() < 3 || satisfied(a.get(2));
      case "unless" ->
          !satisfied(a.get(1)) ? satisfied(a.get(0)) : a.size() < 3 || satisfied(a.get(2));
      default -> withOrWithout(op).stream().anyMatch(chosen::contains);
    };
  }

  /** Whether some package could satisfy {@code tree}. */
  private boolean resolvable(RichDep tree) {
    if (tree instanceof RichDep.Atom atom) {
      return !pool.whatProvides(atom.dep()).isEmpty();
    }
    RichDep.Op op = (RichDep.Op) tree;
    return switch (op.op()) {
      case "and" -> op.args().stream().allMatch(this::resolvable);
      case "or" -> op.args().stream().anyMatch(this::resolvable);
      case "with", "without" -> !withOrWithout(op).isEmpty();
      default -> true;
    };
  }
}
