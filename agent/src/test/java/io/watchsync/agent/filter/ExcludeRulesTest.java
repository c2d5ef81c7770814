package io.watchsync.agent.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExcludeRulesTest {

  @Test
  void rsyncArgumentsKeepTheOrderAndTheTextOfEachPattern() {
    assertEquals(
        List.of("--exclude=*.swp", "--exclude=/tmp/", "--exclude=with space"),
        ExcludeRules.of(List.of("*.swp", "/tmp/", "with space")).rsyncArgs());
    assertEquals(List.of(), ExcludeRules.of(List.of()).rsyncArgs());
  }

  @Test
  void everythingBelowAnExcludedDirectoryIsExcluded() {
    ExcludeRules rules = ExcludeRules.of(List.of("cache/"));
    assertTrue(rules.excludes(RelPath.of("a/cache"), true));
    assertTrue(rules.excludes(RelPath.of("a/cache/x/y.txt"), false));
    assertFalse(rules.excludes(RelPath.of("a/cache"), false), "a file named cache stays");
    assertFalse(rules.excludes(RelPath.of("a/cachex/y"), false));
    assertFalse(rules.matchesItself(RelPath.of("a/cache/x/y.txt"), false));
  }

  @Test
  void theRootIsNeverExcluded() {
    assertFalse(ExcludeRules.of(List.of("*", "**")).excludes(RelPath.ROOT, true));
  }

  @Test
  void namesThatAreNotUtf8MatchByteForByte() {
    RelPath latin1 = RelPath.of(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'});
    assertTrue(ExcludeRules.of(List.of("caf?.txt")).excludes(latin1, false));
    assertFalse(ExcludeRules.of(List.of("caf\u00e9.txt")).excludes(latin1, false));
    assertTrue(
        ExcludeRules.of(List.of("caf\u00e9.txt")).excludes(RelPath.of("caf\u00e9.txt"), false));
  }

  @Test
  void aDashSpacePrefixIsReadAsRsyncDoes() {
    ExcludeRules rules = ExcludeRules.of(List.of("- *.o"));
    assertTrue(rules.excludes(RelPath.of("src/main.o"), false));
    assertEquals(List.of("--exclude=- *.o"), rules.rsyncArgs());
  }

  @Test
  void noRulesExcludeNothing() {
    ExcludeRules none = ExcludeRules.of(List.of());
    assertTrue(none.isEmpty());
    assertFalse(none.excludes(RelPath.of("a/b"), false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+ keep.c", "!", "- ", "/", "*.[ch", "[[:word:]]*", "trailing\\*\\"})
  void patternsRsyncWouldMisreadOrNeverMatchAreRefused(String pattern) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExcludeRules.of(List.of(pattern)));
    assertFalse(e.getMessage().isBlank());
  }
}
