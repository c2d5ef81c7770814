package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetUrlTest {

  @Test
  void aDaemonUrlWithUserPortModuleAndPathIsParsed() {
    TargetUrl t = TargetUrl.parse("rsync://backup@nas.example.com:8730/replica/hosts/web1");
    assertEquals(Kind.DAEMON, t.kind());
    assertEquals("backup", t.user());
    assertEquals("nas.example.com", t.host());
    assertEquals(8730, t.port());
    assertEquals("replica", t.module());
    assertEquals("hosts/web1", t.path());
    assertEquals("rsync://backup@nas.example.com:8730/replica/hosts/web1/", t.rsyncDestination());
    assertEquals("rsync://backup@nas.example.com:8730/replica/hosts/web1", t.toString());
  }

  @Test
  void aDaemonUrlWithOnlyHostAndModuleUsesRsyncDefaults() {
    TargetUrl t = TargetUrl.parse("rsync://nas/replica");
    assertNull(t.user());
    assertEquals(0, t.port());
    assertEquals("", t.path());
    assertEquals("rsync://nas/replica/", t.rsyncDestination());
  }

  @Test
  void trailingAndDoubledSlashesInTheDaemonPathAreTidied() {
    assertEquals(
        "rsync://nas/replica/a/b/",
        TargetUrl.parse("rsync://nas/replica//a/b/").rsyncDestination());
    assertEquals(
        "rsync://nas/replica/", TargetUrl.parse("rsync://nas/replica/").rsyncDestination());
  }

  @Test
  void anIpv6DaemonAddressStaysInBracketsForRsync() {
    TargetUrl t = TargetUrl.parse("rsync://ws@[2001:db8::7]:873/replica");
    assertEquals("2001:db8::7", t.host());
    assertEquals(873, t.port());
    assertEquals("rsync://ws@[2001:db8::7]:873/replica/", t.rsyncDestination());
  }

  @Test
  void anSshUrlIsParsed() {
    TargetUrl t = TargetUrl.parse("root@backup1:/srv/backup/web1");
    assertEquals(Kind.SSH, t.kind());
    assertEquals("root@backup1", t.sshHost());
    assertEquals("/srv/backup/web1", t.directory());
    assertEquals("root@backup1:/srv/backup/web1/", t.rsyncDestination());
  }

  @Test
  void anSshUrlWithoutUserOrWithIpv6IsParsed() {
    assertEquals("backup1", TargetUrl.parse("backup1:/srv").sshHost());
    TargetUrl v6 = TargetUrl.parse("me@[fe80::1]:/srv/b/");
    assertEquals("me@fe80::1", v6.sshHost());
    assertEquals("me@[fe80::1]:/srv/b/", v6.rsyncDestination());
  }

  @Test
  void aLocalDirectoryIsParsed() {
    TargetUrl t = TargetUrl.parse("/mnt/backup//web1/");
    assertEquals(Kind.LOCAL, t.kind());
    assertEquals(Path.of("/mnt/backup/web1"), t.localPath());
    assertEquals("/mnt/backup/web1/", t.rsyncDestination());
    assertEquals("/mnt/backup//web1/", t.toString());
  }

  @Test
  void aPasswordInTheUrlIsRejectedWithoutRepeatingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TargetUrl.parse("rsync://ws:hunter22@nas/replica"));
    assertTrue(e.getMessage().contains("password file"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rsync://ws:hunter22@nas/replica | rsync://ws:***@nas/replica",
        "RSYNC://ws:hunter22@nas:873/replica/a | RSYNC://ws:***@nas:873/replica/a",
        "rsync://ws:hun:ter@22@nas/replica | rsync://ws:***@nas/replica",
        "rsync://:hunter22@nas/replica | rsync://:***@nas/replica",
      })
  void aPasswordIsHiddenFromEveryMessageAboutTheUrl(String url, String redacted) {
    assertTrue(TargetUrl.holdsPassword(url));
    assertEquals(redacted, TargetUrl.redact(url));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(url));
    assertEquals(
        "target URL '"
            + redacted
            + "' contains a password; put it in a password file (mode 0600) instead",
        e.getMessage());
  }

  @Test
  void aPasswordIsFoundBeforeTheWhiteSpaceOrControlCharacterAroundIt() {
    for (String url :
        new String[] {" rsync://ws:hunter22@nas/replica ", "rsync://ws:hunter22@nas/replica\n"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(url));
      assertTrue(e.getMessage().contains("contains a password"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rsync://ws@nas/replica",
        "rsync://nas:873/replica",
        "rsync://nas/replica/a:b@c",
        "ws@backup1:/srv/a:b",
        "/mnt/a:b@c",
      })
  void aUrlWithoutAPasswordIsShownAsWritten(String url) {
    assertFalse(TargetUrl.holdsPassword(url));
    assertEquals(url, TargetUrl.redact(url));
    assertEquals(url, TargetUrl.parse(url).toString());
  }

  @Test
  void urlsAreEqualWhenWrittenAlike() {
    assertEquals(TargetUrl.parse("rsync://nas/replica"), TargetUrl.parse("rsync://nas/replica"));
    assertEquals(
        TargetUrl.parse("rsync://nas/replica").hashCode(),
        TargetUrl.parse("rsync://nas/replica").hashCode());
    // Spelt differently: another state directory, so another target.
    assertNotEquals(TargetUrl.parse("/mnt/backup"), TargetUrl.parse("/mnt/backup/"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rsync://nas | target URL 'rsync://nas' names no module, like rsync://host/module",
        "rsync://nas/ | target URL 'rsync://nas/' names no module, like rsync://host/module",
        "rsync:///replica | target URL 'rsync:///replica' names no host",
        "rsync://nas:0/replica | target URL 'rsync://nas:0/replica': port 0 is outside 1-65535",
        "rsync://nas:99999/replica | target URL 'rsync://nas:99999/replica': port 99999 is outside"
            + " 1-65535",
        "rsync://nas:ab/replica | target URL 'rsync://nas:ab/replica': invalid port 'ab'",
        "rsync://2001:db8::1/replica | target URL 'rsync://2001:db8::1/replica': put an IPv6"
            + " address in brackets, like rsync://[::1]/module",
        "rsync://[2001:db8::1/replica | target URL 'rsync://[2001:db8::1/replica': missing ']'"
            + " after IPv6",
        "rsync://nas/replica/../etc | target URL 'rsync://nas/replica/../etc': path must not"
            + " contain '.' or '..' components",
        "rsync://bad user@nas/replica | target URL 'rsync://bad user@nas/replica': invalid user"
            + " 'bad user'",
        "backup1:srv/backup | target URL 'backup1:srv/backup' needs an absolute path after the"
            + " colon, like backup1:/srv/backup",
        "root@backup1: | target URL 'root@backup1:' needs an absolute path after the colon, like"
            + " root@backup1:/srv/backup",
        "backup1::replica | target URL 'backup1::replica': for an rsync daemon write"
            + " rsync://host/module (and put an IPv6 address in brackets)",
        "relative/dir | target URL 'relative/dir' is neither remote nor an absolute directory;"
            + " expected rsync://[user@]host[:port]/module[/path], [user@]host:/absolute/path or"
            + " /absolute/directory",
        "http://nas/replica | target URL 'http://nas/replica': unsupported scheme; expected"
            + " rsync://[user@]host[:port]/module[/path], [user@]host:/absolute/path or"
            + " /absolute/directory",
        "/srv/../etc | target URL '/srv/../etc': path must not contain '.' or '..' components",
        "/ | target URL '/': refusing the root directory '/' as a target",
        "//// | target URL '////': refusing the root directory '/' as a target",
        "root@h:/ | target URL 'root@h:/': refusing the root directory '/' as a target",
      })
  void badUrlsAreRejectedWithAMessageNamingTheValue(String url, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(url));
    assertEquals(message, e.getMessage());
  }

  @Test
  void emptyAndPaddedUrlsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(""));
    assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(" /srv "));
    assertEquals("target URL ' /srv ' has leading or trailing white space", e.getMessage());
  }

  @Test
  void kindSpecificAccessorsRefuseOtherKinds() {
    assertThrows(IllegalStateException.class, () -> TargetUrl.parse("/srv").sshHost());
    assertThrows(IllegalStateException.class, () -> TargetUrl.parse("h:/srv").localPath());
    assertThrows(IllegalStateException.class, () -> TargetUrl.parse("rsync://h/m").directory());
  }
}
