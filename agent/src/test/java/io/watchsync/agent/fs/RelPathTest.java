package io.watchsync.agent.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RelPathTest {

  @Test
  void nonUtf8BytesSurviveAndDisplayEscaped() {
    byte[] name = {'a', (byte) 0xff, 'b'};
    RelPath p = RelPath.of("dir").resolve(name);
    assertArrayEquals(new byte[] {'d', 'i', 'r', '/', 'a', (byte) 0xff, 'b'}, p.bytes());
    assertEquals("dir/a\\xffb", p.toString());
    assertFalse(p.isUtf8());
    assertTrue(RelPath.of("d/é").isUtf8());
  }

  @Test
  void newlineInNameIsShownEscaped() {
    assertEquals("a\\x0ab", RelPath.of("a\nb").toString());
  }

  @Test
  void startsWithIsComponentWise() {
    assertTrue(RelPath.of("a/b/c").startsWith(RelPath.of("a/b")));
    assertTrue(RelPath.of("a/b").startsWith(RelPath.of("a/b")));
    assertFalse(RelPath.of("a/bc").startsWith(RelPath.of("a/b")));
    assertTrue(RelPath.of("x").startsWith(RelPath.ROOT));
  }

  @Test
  void rebaseMovesPrefix() {
    assertEquals(
        RelPath.of("n/m/c"), RelPath.of("a/b/c").rebase(RelPath.of("a/b"), RelPath.of("n/m")));
    assertEquals(RelPath.of("n"), RelPath.of("a").rebase(RelPath.of("a"), RelPath.of("n")));
  }

  @Test
  void parentAndName() {
    assertEquals(RelPath.of("a/b"), RelPath.of("a/b/c").parent());
    assertEquals(RelPath.ROOT, RelPath.of("a").parent());
    assertArrayEquals("c".getBytes(), RelPath.of("a/b/c").name());
    assertEquals(3, RelPath.of("a/b/c").depth());
  }

  @Test
  void rejectsDotDotAndAbsolutePaths() {
    assertThrows(IllegalArgumentException.class, () -> RelPath.of("/etc"));
    assertThrows(IllegalArgumentException.class, () -> RelPath.of("a/../b"));
    assertThrows(IllegalArgumentException.class, () -> RelPath.of("a//b"));
    assertThrows(IllegalArgumentException.class, () -> RelPath.ROOT.resolve("x/y"));
  }

  @Test
  void toNativeJoinsRootAndTerminatesWithNul() {
    byte[] n = RelPath.of("a").toNative("/r".getBytes());
    assertArrayEquals(new byte[] {'/', 'r', '/', 'a', 0}, n);
    assertArrayEquals(new byte[] {'/', 'r', 0}, RelPath.ROOT.toNative("/r".getBytes()));
  }
}
