package io.watchsync.agent.watch;

import io.watchsync.agent.fs.RelPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * One watched directory: its watch descriptor, where it sits in the tree and its watched
 * subdirectories. A node cut off from its parent is an orphan: its path is unknown until a move or
 * a rescan puts it back.
 *
 * <p>A tree of a million directories has a million of these, so each is kept small: the name as raw
 * bytes (the one copy of it), and the subdirectories in an open-addressing array of nodes looked up
 * by their own names, with no map entries or key objects beside them.
 */
final class WatchNode {
  final int wd;
  private WatchNode parent;
  private byte[] name;

  /** Subdirectories by name (linear probing; null: a free slot); null while there are none. */
  private WatchNode[] children;

  private int childCount;

  WatchNode(int wd) {
    this.wd = wd;
    this.name = new byte[0];
  }

  boolean isOrphan(WatchNode root) {
    WatchNode n = this;
    while (n != root) {
      if (n.parent == null) {
        return true;
      }
      n = n.parent;
    }
    return false;
  }

  /** The path relative to the root, or null for an orphan. */
  RelPath path(WatchNode root) {
    if (this == root) {
      return RelPath.ROOT;
    }
    List<byte[]> names = new ArrayList<>();
    for (WatchNode n = this; n != root; n = n.parent) {
      if (n.parent == null) {
        return null;
      }
      names.add(n.name);
    }
    RelPath p = RelPath.ROOT;
    for (int i = names.size() - 1; i >= 0; i--) {
      p = p.resolve(names.get(i));
    }
    return p;
  }

  WatchNode child(byte[] childName) {
    int i = find(childName);
    return i < 0 ? null : children[i];
  }

  /** Detaches the child called {@code childName}, if any, and returns it. */
  WatchNode detachChild(byte[] childName) {
    int i = find(childName);
    if (i < 0) {
      return null;
    }
    WatchNode c = children[i];
    removeAt(i);
    c.parent = null;
    return c;
  }

  /** Moves this node under {@code newParent} as {@code newName}, replacing what was there. */
  void attachTo(WatchNode newParent, byte[] newName) {
    detachFromParent();
    this.name = newName;
    WatchNode displaced = newParent.putChild(this);
    if (displaced != null && displaced != this) {
      displaced.parent = null;
    }
    this.parent = newParent;
  }

  void detachFromParent() {
    if (parent != null) {
      int i = parent.find(name);
      if (i >= 0 && parent.children[i] == this) {
        parent.removeAt(i);
      }
    }
    parent = null;
  }

  /** This node and every node below it. */
  List<WatchNode> subtree() {
    List<WatchNode> out = new ArrayList<>();
    Deque<WatchNode> todo = new ArrayDeque<>();
    todo.push(this);
    while (!todo.isEmpty()) {
      WatchNode n = todo.pop();
      out.add(n);
      todo.addAll(n.children());
    }
    return out;
  }

  Collection<WatchNode> children() {
    if (children == null) {
      return List.of();
    }
    List<WatchNode> out = new ArrayList<>(childCount);
    for (WatchNode c : children) {
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  // ---- the child array -------------------------------------------------------------------

  private int find(byte[] childName) {
    if (children == null) {
      return -1;
    }
    int mask = children.length - 1;
    for (int i = slot(childName, mask); children[i] != null; i = (i + 1) & mask) {
      if (Arrays.equals(children[i].name, childName)) {
        return i;
      }
    }
    return -1;
  }

  /** Puts {@code child} under its name; returns the node it replaced, or null. */
  private WatchNode putChild(WatchNode child) {
    if (children == null) {
      children = new WatchNode[4];
    } else if ((childCount + 1) * 4 > children.length * 3) {
      resize(children.length * 2);
    }
    int mask = children.length - 1;
    int i = slot(child.name, mask);
    while (children[i] != null) {
      if (Arrays.equals(children[i].name, child.name)) {
        WatchNode old = children[i];
        children[i] = child;
        return old;
      }
      i = (i + 1) & mask;
    }
    children[i] = child;
    childCount++;
    return null;
  }

  /** Empties slot {@code i}, shifting back the entries that probed past it. */
  private void removeAt(int i) {
    int mask = children.length - 1;
    int free = i;
    for (int j = (i + 1) & mask; children[j] != null; j = (j + 1) & mask) {
      int home = slot(children[j].name, mask);
      boolean movable = free <= j ? (home <= free || home > j) : (home <= free && home > j);
      if (movable) {
        children[free] = children[j];
        free = j;
      }
    }
    children[free] = null;
    childCount--;
    if (childCount == 0) {
      children = null;
    } else if (children.length > 4 && childCount * 8 < children.length) {
      resize(children.length / 2);
    }
  }

  private void resize(int capacity) {
    WatchNode[] old = children;
    children = new WatchNode[capacity];
    childCount = 0;
    for (WatchNode c : old) {
      if (c != null) {
        putChild(c);
      }
    }
  }

  private static int slot(byte[] name, int mask) {
    int h = Arrays.hashCode(name) * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
