package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogTest {
  @TempDir Path dir;

  @Test
  void readsEntriesNewestFirstWithAuthorVersionAndText() throws Exception {
    Path file = dir.resolve("changelog");
    Files.writeString(
        file,
        """
        * Wed Dec 02 2026 Jane Doe <jane@example.org> - 0.2.0-1
        - Second
        - More

        * Tue Nov 24 2026 Jane Doe <jane@example.org> - 0.1.0-1
        - First
        """);
    assertEquals(
        List.of(
            new ChangelogEntry(
                LocalDate.of(2026, 12, 2),
                "Jane Doe <jane@example.org> - 0.2.0-1",
                "- Second\n- More"),
            new ChangelogEntry(
                LocalDate.of(2026, 11, 24), "Jane Doe <jane@example.org> - 0.1.0-1", "- First")),
        Changelog.read(file));
  }

  @Test
  void rejectsEntriesOutOfOrderNamingTheLine() throws Exception {
    Path file = dir.resolve("changelog");
    Files.writeString(
        file, "* Tue Nov 24 2026 A <a@b> - 1-1\n- x\n* Wed Dec 02 2026 A <a@b> - 2-1\n- y\n");
    PackagingException e = assertThrows(PackagingException.class, () -> Changelog.read(file));
    assertEquals(
        file + ":3: entries must be newest first, Wed Dec 02 2026 is newer", e.getMessage());
  }

  @Test
  void rejectsABadDateNamingTheLine() throws Exception {
    Path file = dir.resolve("changelog");
    Files.writeString(file, "* Mon Nov 24 2026 A <a@b> - 1-1\n- x\n");
    PackagingException e = assertThrows(PackagingException.class, () -> Changelog.read(file));
    assertEquals(
        file + ":1: bad date 'Mon Nov 24 2026' (want e.g. Tue Nov 24 2026)", e.getMessage());
  }
}
