package io.watchsync.agent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CollapsePlanTest {

  private static List<RelPath> paths(String... p) {
    return Arrays.stream(p).map(RelPath::of).toList();
  }

  private static Set<RelPath> dirs(String... p) {
    return Arrays.stream(p).map(RelPath::of).collect(Collectors.toSet());
  }

  @Test
  void theLargestGroupOfSiblingsCollapsesFirstAndOnlyAsFarAsNeeded() {
    CollapsePlan plan =
        CollapsePlan.of(paths("a/1", "a/2", "a/3", "a/4", "a/5", "b/1", "b/2", "c"), 4);
    assertFalse(plan.wholeTree());
    assertEquals(dirs("a"), plan.directories());
  }

  @Test
  void aPathAloneInItsDirectoryClimbsUntilItMeetsOthers() {
    CollapsePlan plan = CollapsePlan.of(paths("x/y/z/f", "x/q", "top"), 2);
    assertFalse(plan.wholeTree());
    assertEquals(dirs("x"), plan.directories());
  }

  @Test
  void chosenDirectoriesNeverLieBelowOneAnother() {
    CollapsePlan plan =
        CollapsePlan.of(paths("a/b/1", "a/b/2", "a/b/3", "a/c/1", "a/c/2", "a/d", "e"), 2);
    assertFalse(plan.wholeTree());
    assertEquals(dirs("a"), plan.directories());
  }

  @Test
  void aDirectoryThatIsItselfWaitingIsMergedWithWhatLiesBelowIt() {
    CollapsePlan plan = CollapsePlan.of(paths("d", "d/1", "d/2", "d/3", "e"), 2);
    assertEquals(dirs("d"), plan.directories());
  }

  @Test
  void tooManyTopLevelNamesLeaveOnlyAFullSync() {
    CollapsePlan plan = CollapsePlan.of(paths("a", "b", "c/1", "c/2", "d/e/f"), 1);
    assertTrue(plan.wholeTree());
    assertTrue(plan.directories().isEmpty());
  }
}
