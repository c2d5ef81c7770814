package io.watchsync.agent.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
  static final String MOUNTINFO =
      String.join(
          "\n",
          "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
          "30 22 8:17 / /srv/export rw,relatime shared:5 - xfs /dev/sdb1 rw,attr2",
          "31 30 8:33 / /srv/export/media rw - xfs /dev/sdc1 rw",
          "32 22 8:17 /projects /mnt/with\\040space rw master:5 - xfs /dev/sdb1 rw",
          "33 30 0:45 / /srv/export/tmp rw - tmpfs tmpfs rw",
          "34 30 0:46 / /srv/export/tmp rw - tmpfs second rw",
          "not a mountinfo line",
          "");

  final MountTable table = MountTable.parse(MOUNTINFO);

  @Test
  void findsTheMountOnADirectory() {
    MountTable.Mount m = table.mountedOn(Path.of("/srv/export"));
    assertEquals("8:17", m.device());
    assertEquals("xfs /dev/sdb1 on /srv/export", m.describe());
    assertNull(table.mountedOn(Path.of("/srv")));
  }

  @Test
  void theLastMountOnAPointHidesTheOthers() {
    assertEquals("second", table.mountedOn(Path.of("/srv/export/tmp")).source());
  }

  @Test
  void findsTheMountHoldingAPath() {
    assertEquals("/dev/sdc1", table.holding(Path.of("/srv/export/media/a/b")).source());
    assertEquals("/dev/sdb1", table.holding(Path.of("/srv/export/docs")).source());
    assertEquals("/dev/sda1", table.holding(Path.of("/srv")).source());
  }

  @Test
  void listsTheMountPointsBelowADirectoryShallowestFirstAndOnce() {
    assertEquals(
        List.of(Path.of("/srv/export/media"), Path.of("/srv/export/tmp")),
        table.mountPointsBelow(Path.of("/srv/export")));
    assertEquals(List.of(), table.mountPointsBelow(Path.of("/srv/export/media")));
  }

  @Test
  void readsOctalEscapesAndBindMountRoots() {
    MountTable.Mount m = table.mountedOn(Path.of("/mnt/with space"));
    assertEquals("/projects", m.root());
    assertEquals("xfs /dev/sdb1[/projects] on /mnt/with space", m.describe());
    assertEquals("a\\b", MountTable.unescape("a\\134b"));
    assertEquals("tab\there", MountTable.unescape("tab\\011here"));
    assertEquals("not\\9octal", MountTable.unescape("not\\9octal"));
  }
}
