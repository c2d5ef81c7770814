package io.watchsync.agent.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.testing.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard against the real kernel's mounts. */
class SourceGuardIT {
  @TempDir Path work;
  Mounts mounts;
  Path source;

  @BeforeEach
  void mountSource() throws Exception {
    mounts = Mounts.requireRoot();
    source = mounts.tmpfs(work.resolve("export"), "4m");
    Files.writeString(source.resolve("a.txt"), "a");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounts != null) {
      mounts.close();
    }
  }

  @Test
  void aMountedSourceIsIntactAndDescribedByItsFileSystem() throws Exception {
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.REQUIRED);
    assertNull(guard.lostBecause());
    assertTrue(guard.wasMountPoint());
    assertEquals("tmpfs watchsync-test on " + source.toRealPath(), guard.describe());
  }

  @Test
  void anUnmountedSourceIsLostAndNamesWhatIsThereNow() throws Exception {
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.AUTO);
    mounts.umount(source);

    String why = guard.lostBecause();

    assertTrue(why.startsWith(source + " is no longer the directory it was at start (tmpfs"), why);
    assertTrue(why.endsWith(": was the file system unmounted?"), why);
  }

  @Test
  void aFreshTmpfsInItsPlaceIsNeverTakenForTheSource() throws Exception {
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.AUTO);
    assertFalse(guard.recoverable(), "tmpfs has no disk of its own");
    mounts.umount(source);
    guard.markLost(guard.lostBecause());

    // The kernel may hand the new tmpfs the old one's device number, root inode and mount id.
    mounts.tmpfs(source, "4m");

    assertFalse(guard.tryRecover());
    assertTrue(guard.lostBecause().contains("is no longer the directory it was at start"));
  }

  @Test
  void theSameDirectoryOfADiskBoundAgainIsTheSourceAgain() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Path bound = mounts.bind(data, work.resolve("bound"));
    SourceGuard guard = SourceGuard.record(bound, SourceMountMode.AUTO);
    assertTrue(guard.recoverable(), bound + " is on " + guard.describe());
    mounts.umount(bound);
    guard.markLost(guard.lostBecause());
    assertFalse(guard.tryRecover(), "not back yet");

    mounts.bind(data, bound);

    assertTrue(guard.tryRecover());
    assertNull(guard.lostBecause());
  }

  @Test
  void anotherDirectoryBoundInItsPlaceIsNotTheSource() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Path other = Files.createDirectories(work.resolve("other"));
    Path bound = mounts.bind(data, work.resolve("bound"));
    SourceGuard guard = SourceGuard.record(bound, SourceMountMode.AUTO);
    mounts.umount(bound);
    mounts.bind(other, bound);

    String why = guard.lostBecause();

    assertTrue(why.startsWith(bound + " is no longer the directory it was at start"), why);
    guard.markLost(why);
    assertFalse(guard.tryRecover());
  }

  @Test
  void aFileSystemMountedBelowTheSourceGoingAwayIsALoss() throws Exception {
    Path media = mounts.tmpfs(source.resolve("media"), "1m");
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.AUTO);
    assertEquals(1, guard.mountsBelow());

    mounts.umount(media);

    String why = guard.lostBecause();
    assertTrue(why.startsWith(media + ": the file system mounted there (tmpfs"), why);
  }

  @Test
  void aFileSystemMountedBelowAfterStartIsAdoptedAndThenGuarded() throws Exception {
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.AUTO);
    Path later = mounts.tmpfs(source.resolve("later"), "1m");
    guard.adoptNewMounts();
    assertEquals(1, guard.mountsBelow());

    mounts.umount(later);

    assertTrue(guard.lostBecause().startsWith(later + ": the file system mounted there"));
  }

  @Test
  void requiredRefusesASourceThatIsNotAMountPoint() throws Exception {
    Path plain = Files.createDirectories(work.resolve("plain"));

    SourceMountException e =
        assertThrows(
            SourceMountException.class, () -> SourceGuard.record(plain, SourceMountMode.REQUIRED));

    assertTrue(
        e.getMessage()
            .startsWith("source " + plain + " is not a mount point (source_mount: required)"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(": mount the export's file system first"));
  }

  @Test
  void anyOnlyAsksForADirectory() throws Exception {
    SourceGuard guard = SourceGuard.record(source, SourceMountMode.ANY);
    mounts.umount(source);
    assertNull(guard.lostBecause());
    assertFalse(Files.exists(source.resolve("a.txt")));
  }

  @Test
  void aMissingSourceIsRefusedAtStartAndLostLater() throws Exception {
    Path gone = work.resolve("gone");
    assertEquals(
        "source " + gone + " does not exist",
        assertThrows(
                SourceMountException.class, () -> SourceGuard.record(gone, SourceMountMode.AUTO))
            .getMessage());
    Path dir = Files.createDirectories(work.resolve("dir"));
    SourceGuard guard = SourceGuard.record(dir, SourceMountMode.ANY);
    Files.delete(dir);
    assertEquals(dir + " does not exist any more", guard.lostBecause());
  }
}
