package io.watchsync.agent.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WatchNodeTest {

  private static byte[] n(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void childrenAreFoundByNameAsTheyComeAndGo() {
    WatchNode root = new WatchNode(1);
    Map<String, WatchNode> expected = new HashMap<>();
    Random random = new Random(7);
    int wd = 2;
    for (int i = 0; i < 50_000; i++) {
      String name = "d" + random.nextInt(2_000);
      if (random.nextInt(3) > 0) {
        WatchNode c = new WatchNode(wd++);
        c.attachTo(root, n(name));
        expected.put(name, c);
      } else {
        assertSame(expected.remove(name), root.detachChild(n(name)));
      }
    }
    assertEquals(expected.size(), root.children().size());
    for (int i = 0; i < 2_000; i++) {
      assertSame(expected.get("d" + i), root.child(n("d" + i)), "d" + i);
    }
  }

  @Test
  void aMovedNodeLeavesItsOldParentAndDisplacesTheNodeAtItsNewName() {
    WatchNode root = new WatchNode(1);
    WatchNode a = new WatchNode(2);
    WatchNode b = new WatchNode(3);
    WatchNode moved = new WatchNode(4);
    WatchNode displaced = new WatchNode(5);
    a.attachTo(root, n("a"));
    b.attachTo(root, n("b"));
    moved.attachTo(a, n("x"));
    displaced.attachTo(b, n("y"));

    moved.attachTo(b, n("y"));

    assertNull(a.child(n("x")));
    assertSame(moved, b.child(n("y")));
    assertEquals(RelPath.of("b/y"), moved.path(root));
    assertTrue(displaced.isOrphan(root));
  }
}
