package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GLib's GPatternSpec rules, which createrepo_c's --excludes follows (see NestedTreeIT). */
class ExcludeGlobTest {
  @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
  @CsvSource({
    "a/*, a/b/c.rpm, true",
    "*, '', true",
    "*.rpm, x.rpm, true",
    "*.rpm, x.rpm.bak, false",
    "a?b*, a/b/c.rpm, true",
    "a?b, ab, false",
    "[b]*, [b]x.rpm, true",
    "[b]*, bx.rpm, false",
    "\\*, \\x, true",
    "noarch, noarchy, false",
    "*aaa*, xaaay, true",
    "*a*b*c, aXbXbXc, true",
    "?, é, true",
    "/aaa*, aaa.rpm, false"
  })
  void matchesTheWholeNameAsGPatternSpecDoes(String glob, String name, boolean matches) {
    assertEquals(matches, new ExcludeGlob(glob).matches(name));
  }
}
