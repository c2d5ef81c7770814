package io.watchsync.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class TreeComparisonTest {
  @TempDir Path work;

  private void sh(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", script)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(script + ": " + out);
    }
  }

  @Test
  void identicalTreesWithAwkwardNamesHaveNoDifferences() throws Exception {
    sh(
        "mkdir a && cd a && mkdir -p \"$(printf 'd\\377')\" && echo x > \"$(printf 'd\\377')/f\""
            + " && printf n > \"$(printf 'new\\nline')\" && ln -s /nowhere link && chmod 600 link"
            + " 2>/dev/null; cd .. && cp -a a b");
    assertEquals(List.of(), TreeComparison.differences(work.resolve("a"), work.resolve("b")));
    TreeComparison.assertIdentical(work.resolve("a"), work.resolve("b"));
  }

  @Test
  void namesThatDifferOnlyInInvalidBytesAreTold() throws Exception {
    sh("mkdir a b && : > \"a/$(printf 'x\\376')\" && : > \"b/$(printf 'x\\377')\"");
    assertEquals(
        List.of("x\\xfe: missing in replica", "x\\xff: only in replica"),
        TreeComparison.differences(work.resolve("a"), work.resolve("b")));
  }

  @Test
  void everyKindOfDifferenceIsReported() throws Exception {
    sh(
        "mkdir -p a/sub b/sub && echo same > a/sub/same && cp -a a/sub/same b/sub/same"
            + " && echo one > a/content && echo two > b/content"
            + " && echo long > a/size && echo longer > b/size"
            + " && echo m > a/mode && cp -a a/mode b/mode && chmod 700 b/mode"
            + " && ln -s t1 a/link && ln -s t2 b/link"
            + " && mkdir a/kind && echo file > b/kind"
            + " && echo only > a/sub/missing && echo extra > b/extra");
    assertEquals(
        List.of(
            "content: content differs",
            "kind: directory in source, file in replica",
            "link: link to t1 in source, to t2 in replica",
            "mode: mode rw-r--r-- in source, rwx------ in replica",
            "size: 5 bytes in source, 7 in replica",
            "sub/missing: missing in replica",
            "extra: only in replica"),
        TreeComparison.differences(work.resolve("a"), work.resolve("b")));
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> TreeComparison.assertIdentical(work.resolve("a"), work.resolve("b")));
    assertTrue(e.getMessage().contains("in 7 places"), e.getMessage());
  }

  @Test
  void symlinksAreComparedNotFollowed() throws Exception {
    sh("mkdir a b x y && echo 1 > x/f && echo 2 > y/f && ln -s ../x a/l && ln -s ../x b/l");
    assertEquals(List.of(), TreeComparison.differences(work.resolve("a"), work.resolve("b")));
  }
}
