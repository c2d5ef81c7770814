package io.watchsync.repo.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** rpm's own test table ({@link RpmVersionComparatorTest#CASES}) put to the installed rpm. */
class RpmVersionComparatorIT {
  private static final String[][] CASES = RpmVersionComparatorTest.CASES;

  @Test
  void agreesWithTheInstalledRpmOnEveryCase() throws Exception {
    assumeTrue(onPath("rpm"), "rpm is not installed");
    StringBuilder lua = new StringBuilder("%{lua:");
    for (String[] c : CASES) {
      lua.append(" print(rpm.vercmp(\"")
          .append(c[0])
          .append("\", \"")
          .append(c[1])
          .append("\")) print(\"\\n\")");
    }
    lua.append("}");
    Process p = new ProcessBuilder("rpm", "--eval", lua.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    List<String> fromRpm = out.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(CASES.length, fromRpm.size(), out);
    List<String> mismatches = new ArrayList<>();
    for (int k = 0; k < CASES.length; k++) {
      int ours = RpmVersionComparator.rpmvercmp(CASES[k][0], CASES[k][1]);
      if (Integer.parseInt(fromRpm.get(k).trim()) != ours) {
        mismatches.add(
            CASES[k][0] + " vs " + CASES[k][1] + ": rpm " + fromRpm.get(k) + ", ours " + ours);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }
}
