package io.watchsync.agent.inotifywait;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which name each watch descriptor stands for, as inotifywait keeps it: the path as given on the
 * command line (a directory with a trailing '/'), renamed when a watched directory is moved within
 * the tree. The name is what {@code %w} prints.
 */
final class WatchNames {
  private final Map<Integer, String> nameByWd = new HashMap<>();
  private final Map<String, Integer> wdByName = new HashMap<>();

  /** Records a watch; a second name for a descriptor already known keeps the first for %w. */
  void add(int wd, String name) {
    nameByWd.putIfAbsent(wd, name);
    wdByName.putIfAbsent(name, wd);
  }

  /** The name of {@code wd}, or null when it is not (or no longer) known. */
  String name(int wd) {
    return nameByWd.get(wd);
  }

  boolean isWatched(String name) {
    return wdByName.containsKey(name);
  }

  /** Forgets the watch named {@code name}; returns its descriptor, or -1 when there is none. */
  int remove(String name) {
    Integer wd = wdByName.remove(name);
    if (wd == null) {
      return -1;
    }
    nameByWd.remove(wd);
    return wd;
  }

  /** Renames every watch whose name starts with {@code oldPrefix} (a directory moved). */
  void replacePrefix(String oldPrefix, String newPrefix) {
    List<Map.Entry<String, Integer>> moved = new ArrayList<>();
    for (Map.Entry<String, Integer> e : wdByName.entrySet()) {
      if (e.getKey().startsWith(oldPrefix) && !e.getKey().equals(newPrefix)) {
        moved.add(e);
      }
    }
    for (Map.Entry<String, Integer> e : moved) {
      String renamed = newPrefix + e.getKey().substring(oldPrefix.length());
      int wd = e.getValue();
      wdByName.remove(e.getKey());
      wdByName.put(renamed, wd);
      if (e.getKey().equals(nameByWd.get(wd))) {
        nameByWd.put(wd, renamed);
      }
    }
  }
}
