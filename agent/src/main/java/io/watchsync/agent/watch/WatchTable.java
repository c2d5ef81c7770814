package io.watchsync.agent.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * The watched directories by watch descriptor: an open-addressing table of ints to nodes.
 *
 * <p>A tree of a million directories has a million entries here. A {@code HashMap<Integer, …>}
 * costs a boxed key and a map node per entry (some 50 bytes); two parallel arrays cost 8 bytes per
 * slot, at most twice as many slots as entries. Deletion shifts the following entries back, so no
 * tombstones pile up while directories come and go.
 *
 * <p>Not thread-safe: the watcher's thread owns it.
 */
final class WatchTable {
  private static final int EMPTY = 0;
  private static final int MIN_CAPACITY = 16;

  /** Watch descriptors (always positive; 0 marks a free slot). */
  private int[] keys = new int[MIN_CAPACITY];

  private WatchNode[] nodes = new WatchNode[MIN_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  WatchNode get(int wd) {
    int mask = keys.length - 1;
    for (int i = slot(wd, mask); keys[i] != EMPTY; i = (i + 1) & mask) {
      if (keys[i] == wd) {
        return nodes[i];
      }
    }
    return null;
  }

  /** Records {@code node} under its watch descriptor, replacing any node there. */
  void put(WatchNode node) {
    if (node.wd <= 0) {
      throw new IllegalArgumentException("not a watch descriptor: " + node.wd);
    }
    if ((size + 1) * 4 > keys.length * 3) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int i = slot(node.wd, mask);
    while (keys[i] != EMPTY) {
      if (keys[i] == node.wd) {
        nodes[i] = node;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = node.wd;
    nodes[i] = node;
    size++;
  }

  /** Forgets the node under {@code wd}; returns it, or null when there was none. */
  WatchNode remove(int wd) {
    int mask = keys.length - 1;
    int i = slot(wd, mask);
    while (keys[i] != wd) {
      if (keys[i] == EMPTY) {
        return null;
      }
      i = (i + 1) & mask;
    }
    WatchNode removed = nodes[i];
    // Shift back the entries that probed past the freed slot, so lookups never stop short.
    int free = i;
    for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      boolean reachable = free <= j ? (home <= free || home > j) : (home <= free && home > j);
      if (reachable) {
        keys[free] = keys[j];
        nodes[free] = nodes[j];
        free = j;
      }
    }
    keys[free] = EMPTY;
    nodes[free] = null;
    size--;
    if (keys.length > MIN_CAPACITY && size * 8 < keys.length) {
      resize(keys.length / 2);
    }
    return removed;
  }

  /** Every node, in no particular order (a copy). */
  List<WatchNode> nodes() {
    List<WatchNode> out = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        out.add(nodes[i]);
      }
    }
    return out;
  }

  private void resize(int capacity) {
    int[] oldKeys = keys;
    WatchNode[] oldNodes = nodes;
    keys = new int[capacity];
    nodes = new WatchNode[capacity];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldNodes[i]);
      }
    }
  }

  private static int slot(int wd, int mask) {
    // Descriptors are handed out in sequence: spread them so neighbours do not cluster.
    int h = wd * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
