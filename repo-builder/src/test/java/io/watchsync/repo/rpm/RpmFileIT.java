package io.watchsync.repo.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RPMs built by the real rpmbuild, read back and checked against what rpm itself reports. */
class RpmFileIT {
  @TempDir static Path work;
  static Path binary;
  static Path source;

  @BeforeAll
  static void build() throws Exception {
    Path spec = work.resolve("fixture.spec");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "Name: fixture",
            "Version: 1.2",
            "Release: 3",
            "Epoch: 2",
            "Summary: A fixture package",
            "License: MIT",
            "URL: https://example.org/fixture",
            "BuildArch: noarch",
            "Requires: rsync >= 3.1",
            "%description",
            "Caf\u00e9 description.",
            "%install",
            "mkdir -p %{buildroot}/etc %{buildroot}/usr/bin",
            "echo x > %{buildroot}/etc/fixture.conf",
            "head -c 100000 /dev/urandom > %{buildroot}/usr/bin/fixture",
            "%files",
            "%config(noreplace) /etc/fixture.conf",
            "/usr/bin/fixture",
            ""),
        StandardCharsets.UTF_8);
    run(
        "rpmbuild",
        "--quiet",
        "--define",
        "_topdir " + work.resolve("top"),
        "--define",
        "_build_id_links none",
        "-ba",
        spec.toString());
    try (Stream<Path> s = Files.walk(work.resolve("top"))) {
      List<Path> rpms = s.filter(p -> p.toString().endsWith(".rpm")).toList();
      binary = rpms.stream().filter(p -> p.toString().endsWith(".noarch.rpm")).findFirst().get();
      source = rpms.stream().filter(p -> p.toString().endsWith(".src.rpm")).findFirst().get();
    }
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  @Test
  void readsTheFieldsRpmReports() throws Exception {
    RpmFile rpm = RpmFile.read(binary);
    Header h = rpm.header();
    String expected =
        run(
            "rpm",
            "-qp",
            "--qf",
            "%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SUMMARY}|%{URL}|%{SIZE}|%{BUILDTIME}",
            binary.toString());
    String actual =
        String.join(
            "|",
            h.string(RpmTags.NAME),
            Long.toString(h.number(RpmTags.EPOCH, 0)),
            h.string(RpmTags.VERSION),
            h.string(RpmTags.RELEASE),
            h.string(RpmTags.ARCH),
            h.string(RpmTags.SUMMARY),
            h.string(RpmTags.URL),
            Long.toString(h.number(RpmTags.SIZE, 0)),
            Long.toString(h.number(RpmTags.BUILDTIME, 0)));
    assertEquals(expected.trim(), actual);
    assertEquals("Caf\u00e9 description.", h.utf8(RpmTags.DESCRIPTION));
    assertFalse(rpm.isSource());
    assertEquals(Files.size(binary), rpm.fileSize());
  }

  @Test
  void theHeaderRangeCoversExactlyTheMainHeader() throws Exception {
    RpmFile rpm = RpmFile.read(binary);
    byte[] file = Files.readAllBytes(binary);
    assertEquals(0x8e, file[(int) rpm.headerStart()] & 0xff);
    byte[] header =
        java.util.Arrays.copyOfRange(file, (int) rpm.headerStart(), (int) rpm.headerEnd());
    String sha256 =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(header));
    assertEquals(run("rpm", "-qp", "--qf", "%{SHA256HEADER}", binary.toString()).trim(), sha256);
  }

  @Test
  void aSourceRpmIsRecognised() throws Exception {
    assertTrue(RpmFile.read(source).isSource());
  }

  @Test
  void aTextFileIsNotAnRpm() throws Exception {
    Path fake = Files.writeString(work.resolve("fake.rpm"), "not an rpm at all, honestly");
    RpmException e = assertThrows(RpmException.class, () -> RpmFile.read(fake));
    assertEquals(fake + ": not an RPM (no RPM lead)", e.getMessage());
  }

  @Test
  void aTruncatedRpmIsRejectedAsTruncated() throws Exception {
    Path cut = work.resolve("cut.rpm");
    byte[] all = Files.readAllBytes(binary);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 5000));
    RpmException e = assertThrows(RpmException.class, () -> RpmFile.read(cut));
    assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
    Path cutInHeader = work.resolve("cut-header.rpm");
    Files.write(cutInHeader, java.util.Arrays.copyOf(all, 200));
    e = assertThrows(RpmException.class, () -> RpmFile.read(cutInHeader));
    assertTrue(e.getMessage().startsWith(cutInHeader + ": truncated"), e.getMessage());
  }

  @Test
  void aFlippedByteInThePayloadOrTheHeaderIsCaught() throws Exception {
    RpmFile good = RpmFile.read(binary);
    Path payload = flipped("payload.rpm", Files.size(binary) - 1000);
    RpmException e = assertThrows(RpmException.class, () -> RpmFile.read(payload));
    assertTrue(e.getMessage().contains("payload does not match"), e.getMessage());
    Path header = flipped("header.rpm", good.headerEnd() - 3);
    e = assertThrows(RpmException.class, () -> RpmFile.read(header));
    assertTrue(e.getMessage().contains("header does not match"), e.getMessage());
  }

  @Test
  void readingFromAStreamChecksAndDigestsTheWholeFileAsReadingTheFileDoes() throws Exception {
    java.security.MessageDigest fromFile = java.security.MessageDigest.getInstance("SHA-256");
    RpmFile read = RpmFile.read(binary, fromFile);
    java.security.MessageDigest fromStream = java.security.MessageDigest.getInstance("SHA-256");
    RpmFile streamed;
    try (java.io.InputStream in = Files.newInputStream(binary)) {
      streamed = RpmFile.read(binary, in, fromStream);
    }
    assertEquals(
        java.util.HexFormat.of().formatHex(fromFile.digest()),
        java.util.HexFormat.of().formatHex(fromStream.digest()));
    assertEquals(read.fileSize(), streamed.fileSize());
    assertEquals(read.headerStart(), streamed.headerStart());
    assertEquals(read.headerEnd(), streamed.headerEnd());
    Path payload = flipped("streamed-payload.rpm", Files.size(binary) - 1000);
    try (java.io.InputStream in = Files.newInputStream(payload)) {
      RpmException e = assertThrows(RpmException.class, () -> RpmFile.read(payload, in, null));
      assertTrue(e.getMessage().contains("payload does not match"), e.getMessage());
    }
  }

  @Test
  void readingOnlyTheHeadersOfAnIntactFileGivesWhatAFullReadGives() throws Exception {
    RpmFile full = RpmFile.read(binary);
    RpmFile headers = RpmFile.readHeaders(binary);
    assertEquals(full.fileSize(), headers.fileSize());
    assertEquals(full.headerStart(), headers.headerStart());
    assertEquals(full.headerEnd(), headers.headerEnd());
    assertEquals(full.header().string(RpmTags.NAME), headers.header().string(RpmTags.NAME));
    // The payload is left unread, which is the point; a changed header is still caught.
    assertEquals(
        full.headerEnd(),
        RpmFile.readHeaders(flipped("unread-payload.rpm", Files.size(binary) - 1000)).headerEnd());
    Path header = flipped("headers-only-header.rpm", full.headerEnd() - 3);
    RpmException e = assertThrows(RpmException.class, () -> RpmFile.readHeaders(header));
    assertTrue(e.getMessage().contains("header does not match"), e.getMessage());
  }

  private static Path flipped(String name, long at) throws Exception {
    Path copy = Files.copy(binary, work.resolve(name));
    try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
    return copy;
  }
}
