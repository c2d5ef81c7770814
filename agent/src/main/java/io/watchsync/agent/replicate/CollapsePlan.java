package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which directories a backlog that grew past its limit collapses into: each chosen directory is
 * then sent whole (recursively, like a full sync of that subtree) instead of path by path.
 *
 * <p>Paths that share a parent collapse into it, the largest groups first, round after round up the
 * tree, until no more than {@code limit} paths and directories are left. A path alone in its
 * directory climbs one level when nothing else is left to merge. The chosen directories never
 * overlap, so catching up costs at most one walk of the tree. When even the top-level names are too
 * many, the plan is the whole tree: a full sync.
 */
final class CollapsePlan {
  private final Set<RelPath> directories;
  private final boolean wholeTree;

  private CollapsePlan(Set<RelPath> directories, boolean wholeTree) {
    this.directories = directories;
    this.wholeTree = wholeTree;
  }

  /** True when nothing short of a full sync brings the backlog under the limit. */
  boolean wholeTree() {
    return wholeTree;
  }

  /** The directories to send whole, none below another; empty for {@link #wholeTree()}. */
  Set<RelPath> directories() {
    return directories;
  }

  /** Plans how {@code paths} (none of them the root) shrink to at most {@code limit} entries. */
  static CollapsePlan of(Collection<RelPath> paths, int limit) {
    Set<RelPath> current = new HashSet<>(paths);
    Set<RelPath> collapsed = new HashSet<>();
    while (current.size() > Math.max(1, limit)) {
      List<Map.Entry<RelPath, List<RelPath>>> groups = siblingGroups(current);
      if (groups.isEmpty()) {
        if (!liftDeepest(current, collapsed)) {
          return new CollapsePlan(Set.of(), true);
        }
      } else {
        for (Map.Entry<RelPath, List<RelPath>> g : groups) {
          current.removeAll(g.getValue());
          current.add(g.getKey());
          collapsed.add(g.getKey());
          if (current.size() <= limit) {
            break;
          }
        }
      }
      dropCoveredPaths(current, collapsed);
    }
    Set<RelPath> chosen = new HashSet<>();
    for (RelPath dir : collapsed) {
      if (current.contains(dir)) {
        chosen.add(dir);
      }
    }
    return new CollapsePlan(chosen, false);
  }

  /** Paths grouped by their parent (below the root), groups of two or more, largest first. */
  private static List<Map.Entry<RelPath, List<RelPath>>> siblingGroups(Set<RelPath> current) {
    Map<RelPath, List<RelPath>> byParent = new HashMap<>();
    for (RelPath p : current) {
      RelPath parent = p.parent();
      if (parent != null && !parent.isRoot()) {
        byParent.computeIfAbsent(parent, k -> new ArrayList<>(2)).add(p);
      }
    }
    List<Map.Entry<RelPath, List<RelPath>>> groups = new ArrayList<>();
    for (Map.Entry<RelPath, List<RelPath>> e : byParent.entrySet()) {
      if (e.getValue().size() >= 2) {
        groups.add(e);
      }
    }
    groups.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
    return groups;
  }

  /** Moves the deepest paths up to their parents; false when every path is at the top already. */
  private static boolean liftDeepest(Set<RelPath> current, Set<RelPath> collapsed) {
    int deepest = 1;
    for (RelPath p : current) {
      deepest = Math.max(deepest, p.depth());
    }
    if (deepest == 1) {
      return false;
    }
    for (RelPath p : List.copyOf(current)) {
      if (p.depth() == deepest) {
        current.remove(p);
        current.add(p.parent());
        collapsed.add(p.parent());
      }
    }
    return true;
  }

  /** Removes every path that lies below a directory chosen to be sent whole. */
  private static void dropCoveredPaths(Set<RelPath> current, Set<RelPath> collapsed) {
    current.removeIf(p -> coveringDirectory(p, current, collapsed) != null);
  }

  private static RelPath coveringDirectory(
      RelPath path, Set<RelPath> current, Set<RelPath> collapsed) {
    for (RelPath a = path.parent(); a != null && !a.isRoot(); a = a.parent()) {
      if (collapsed.contains(a) && current.contains(a)) {
        return a;
      }
    }
    return null;
  }
}
