package io.watchsync.repo.mirror.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.rpm.Evr;
import org.junit.jupiter.api.Test;

class RichDepTest {
  private static RichDep parse(String s) {
    return RichDep.of(new Dep(s, null, null));
  }

  @Test
  void nestedOperatorsVersionsAndNamesWithParenthesesAreRead() {
    RichDep tree = parse("(perl(Foo::Bar) >= 1.2 or (libc.so.6()(64bit) if glibc) or zlib)");
    assertEquals(
        "(perl(Foo::Bar) >= 1.2 or (libc.so.6()(64bit) if glibc) or zlib)", tree.toString());
    RichDep.Op or = (RichDep.Op) tree;
    assertEquals("or", or.op());
    assertEquals(3, or.args().size());
    Dep first = ((RichDep.Atom) or.args().get(0)).dep();
    assertEquals("perl(Foo::Bar)", first.name());
    assertEquals("GE", first.flags());
    assertEquals(new Evr(0, "1.2", null), first.evr());
  }

  @Test
  void ifElseKeepsItsThreeParts() {
    RichDep.Op op = (RichDep.Op) parse("(a if b else c)");
    assertEquals("if", op.op());
    assertEquals(3, op.args().size());
  }

  @Test
  void mixingOperatorsWithoutParenthesesIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> parse("(a and b or c)"));
  }

  @Test
  void rangesOverlapAsRpmComparesThem() {
    Dep provide = new Dep("x", "EQ", new Evr(0, "2.0", "1"));
    assertTrue(Capabilities.matches(provide, new Dep("x", "GE", new Evr(0, "2.0", null))));
    assertTrue(Capabilities.matches(provide, new Dep("x", "LT", new Evr(0, "2.1", null))));
    assertFalse(Capabilities.matches(provide, new Dep("x", "LT", new Evr(0, "2.0", null))));
    assertFalse(Capabilities.matches(provide, new Dep("x", "GT", new Evr(1, "1.0", null))));
    assertTrue(
        Capabilities.matches(new Dep("x", null, null), new Dep("x", "GE", new Evr(0, "9", null))),
        "an unversioned provide satisfies any version");
    assertTrue(
        Capabilities.matchesEvr(
            new Evr(0, "1.0~rc1", "1"), new Dep("x", "GE", new Evr(0, "1.0~rc1", null))));
    assertFalse(
        Capabilities.matchesEvr(
            new Evr(0, "1.0~rc1", "1"), new Dep("x", "GE", new Evr(0, "1.0", null))));
  }
}
