package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.watchsync.agent.fs.RelPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionListTest {
  private static String list(RelPath... paths) {
    return new String(DeletionList.of(List.of(paths)), StandardCharsets.ISO_8859_1)
        .replace('\0', '|');
  }

  @Test
  void eachPathComesAfterItsAncestorsWithItsContents() {
    assertEquals(
        "/a/|/a/b/|/a/b/c|/a/b/c/***|/a/d|/a/d/***|", list(RelPath.of("a/b/c"), RelPath.of("a/d")));
  }

  @Test
  void wildcardsAndBackslashesInNamesAreEscapedWhereThePatternIsAWildcardOne() {
    assertEquals(
        "/x\\y|/x\\\\y/***|/a\\[1]/|/a\\[1]/f\\*|/a\\[1]/f\\*/***|",
        list(RelPath.of("x\\y"), RelPath.of("a[1]/f*")));
  }
}
