package io.watchsync.agent.watch;

import io.watchsync.agent.fs.RelPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One watched directory: its watch descriptor, where it sits in the tree and its watched
 * subdirectories. Names are kept as bytes; the child map keys them as ISO-8859-1 strings, a
 * one-to-one mapping of bytes to chars. A node cut off from its parent is an orphan: its path is
 * unknown until a move or a rescan puts it back.
 */
final class WatchNode {
  final int wd;
  private WatchNode parent;
  private byte[] name;
  private Map<String, WatchNode> children;

  WatchNode(int wd) {
    this.wd = wd;
    this.name = new byte[0];
  }

  static String key(byte[] name) {
    return new String(name, StandardCharsets.ISO_8859_1);
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
    return children == null ? null : children.get(key(childName));
  }

  /** Detaches the child called {@code childName}, if any, and returns it. */
  WatchNode detachChild(byte[] childName) {
    if (children == null) {
      return null;
    }
    WatchNode c = children.remove(key(childName));
    if (c != null) {
      c.parent = null;
    }
    return c;
  }

  /** Moves this node under {@code newParent} as {@code newName}, replacing what was there. */
  void attachTo(WatchNode newParent, byte[] newName) {
    detachFromParent();
    if (newParent.children == null) {
      newParent.children = new HashMap<>(4);
    }
    WatchNode displaced = newParent.children.put(key(newName), this);
    if (displaced != null && displaced != this) {
      displaced.parent = null;
    }
    this.parent = newParent;
    this.name = newName;
  }

  void detachFromParent() {
    if (parent != null && parent.children != null) {
      parent.children.remove(key(name), this);
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
      if (n.children != null) {
        todo.addAll(n.children.values());
      }
    }
    return out;
  }

  Collection<WatchNode> children() {
    return children == null ? List.of() : children.values();
  }
}
