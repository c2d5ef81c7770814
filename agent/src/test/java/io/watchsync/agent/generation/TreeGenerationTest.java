package io.watchsync.agent.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeGenerationTest {
  @TempDir Path tree;

  @Test
  void readsANumberAndAnOptionalNode() {
    assertEquals(new TreeGeneration(5, ""), TreeGeneration.parse("5\n"));
    assertEquals(new TreeGeneration(6, "nfs2"), TreeGeneration.parse(" 6 nfs2 \n"));
  }

  @Test
  void refusesTextThatIsNotAGeneration() {
    for (String bad : new String[] {"", "five", "-1", "5 a b", "1234567890123456789"}) {
      assertThrows(IllegalArgumentException.class, () -> TreeGeneration.parse(bad), bad);
    }
  }

  @Test
  void aTreeWithoutTheFileIsGenerationZero() throws IOException {
    assertEquals(TreeGeneration.NONE, TreeGeneration.of(tree));
  }

  @Test
  void aBrokenFileIsAnErrorNamingIt() throws IOException {
    Files.writeString(tree.resolve(TreeGeneration.FILE_NAME), "garbage here now\n");
    IOException e = assertThrows(IOException.class, () -> TreeGeneration.of(tree));
    assertTrue(e.getMessage().startsWith(tree.resolve(TreeGeneration.FILE_NAME) + ": expected"));
  }

  @Test
  void aPrimaryNeverPushesToANewerTree() {
    String why = new TreeGeneration(4, "nfs1").refusesToPushTo(new TreeGeneration(5, "nfs2"));
    assertEquals(
        "the target's tree is at generation 5 (raised by nfs2), newer than this source's 4"
            + " (raised by nfs1): a backup was promoted since, and this node must not overwrite"
            + " it",
        why);
  }

  @Test
  void twoNodesClaimingTheSameGenerationIsSplitBrain() {
    assertEquals(
        "the target's tree and this source both claim generation 5 (raised by nfs3 there and by"
            + " nfs2 here): two primaries, split brain",
        new TreeGeneration(5, "nfs2").refusesToPushTo(new TreeGeneration(5, "nfs3")));
  }

  @Test
  void aPrimaryPushesToAnOlderOrEqualTree() {
    TreeGeneration own = new TreeGeneration(5, "nfs2");
    assertNull(own.refusesToPushTo(TreeGeneration.NONE));
    assertNull(own.refusesToPushTo(new TreeGeneration(4, "nfs1")));
    assertNull(own.refusesToPushTo(new TreeGeneration(5, "nfs2")));
    assertNull(own.refusesToPushTo(new TreeGeneration(5, "")));
    assertNull(TreeGeneration.NONE.refusesToPushTo(TreeGeneration.NONE));
  }

  @Test
  void raisingWritesTheNextGenerationAtomically() throws IOException {
    assertEquals(new TreeGeneration(1, "nfs2"), GenerationFile.raise(tree, "nfs2"));
    assertEquals(new TreeGeneration(2, "nfs3"), GenerationFile.raise(tree, "nfs3"));
    assertEquals("2 nfs3\n", Files.readString(tree.resolve(TreeGeneration.FILE_NAME)));
    try (var files = Files.list(tree)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }
}
