package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TestKeys;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirror --gpgcheck}: only packages signed by a trusted key enter the mirror; an unsigned or
 * foreign-signed one is refused, named with the key ID it carries, and never takes its name.
 */
class MirrorGpgcheckIT {
  private static final String TOOL = "tool-1.0-1.noarch.rpm";

  @TempDir Path work;
  private UpstreamServer server;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
  }

  @BeforeEach
  void serve() throws Exception {
    server = new UpstreamServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A copy of the upstream with every package signed by {@code key}, re-indexed; its URL. */
  private String upstreamSignedBy(String name, TestKeys.Key key) throws Exception {
    Path dir = UpstreamFixture.copy(work.resolve(name));
    List<String> args = new ArrayList<>(List.of("sign", "--key", key.secretKey().toString()));
    try (Stream<Path> s = Files.walk(dir.resolve("Packages"))) {
      s.filter(p -> p.toString().endsWith(".rpm")).forEach(p -> args.add(p.toString()));
    }
    RepoBuilder signed = RepoBuilder.run(args.toArray(String[]::new));
    assertEquals(0, signed.exit(), signed.toString());
    UpstreamFixture.reindex(dir);
    return server.mount(name, dir).toString();
  }

  private RepoBuilder mirror(Path to, String upstream, String... more) {
    List<String> all =
        new ArrayList<>(List.of("mirror", "--to=" + to, "--repo=up=" + upstream, "--arch=x86_64"));
    all.addAll(List.of(more));
    return RepoBuilder.run(all.toArray(String[]::new));
  }

  @Test
  void packagesSignedByTheTrustedKeyAreMirrored() throws Exception {
    TestKeys.Key site = TestKeys.site();
    Path to = work.resolve("m");

    RepoBuilder run =
        mirror(
            to,
            upstreamSignedBy("signed", site),
            "--gpgcheck",
            "--gpgkey",
            site.publicKey().toString(),
            "tool");

    assertEquals(0, run.exit(), run.toString());
    assertEquals(Set.of(TOOL), MirrorTestSupport.rpms(to.resolve("Packages")));
  }

  @Test
  void aPackageSignedByAnotherKeyIsRefusedNamingThatKeyAndNeverTakesItsName() throws Exception {
    TestKeys.Key site = TestKeys.site();
    TestKeys.Key other = TestKeys.other();
    Path to = work.resolve("m");

    RepoBuilder run =
        mirror(
            to,
            upstreamSignedBy("foreign", other),
            "--gpgcheck",
            "--gpgkey",
            site.publicKey().toString(),
            "tool");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains(TOOL + ": refused: "), run.err());
    assertTrue(run.err().contains(other.keyId()), run.err());
    assertEquals(Set.of(), MirrorTestSupport.rpms(to.resolve("Packages")));
    assertEquals(0, partFiles(to), "no partial file is left");
  }

  @Test
  void anUnsignedPackageIsRefused() throws Exception {
    Path to = work.resolve("m");
    String unsigned = server.mount("plain", UpstreamFixture.copy(work.resolve("plain"))).toString();

    RepoBuilder run =
        mirror(
            to, unsigned, "--gpgcheck", "--gpgkey", TestKeys.site().publicKey().toString(), "tool");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains(TOOL + ": refused: not signed"), run.err());
    assertEquals(Set.of(), MirrorTestSupport.rpms(to.resolve("Packages")));
  }

  @Test
  void aPackageMirroredEarlierWithoutTheCheckLeavesTheMirrorWhenItFails() throws Exception {
    Path to = work.resolve("m");
    String foreign = upstreamSignedBy("earlier", TestKeys.other());
    assertEquals(0, mirror(to, foreign, "tool").exit());
    assertEquals(Set.of(TOOL), MirrorTestSupport.rpms(to.resolve("Packages")));

    RepoBuilder run =
        mirror(
            to, foreign, "--gpgcheck", "--gpgkey", TestKeys.site().publicKey().toString(), "tool");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains(TOOL + ": refused: "), run.err());
    assertEquals(Set.of(), MirrorTestSupport.rpms(to.resolve("Packages")));
  }

  @Test
  void theRepofilesGpgkeyIsFetchedWithTheSourcesCredentialsAndTrusted() throws Exception {
    TestKeys.Key site = TestKeys.site();
    String upstream = upstreamSignedBy("signed", site);
    Path keys = Files.createDirectories(work.resolve("keys"));
    Files.copy(site.publicKey(), keys.resolve("RPM-GPG-KEY-site"));
    String keyUrl = server.mount("keys", keys) + "RPM-GPG-KEY-site";
    // The key is behind the same login as the packages, as on a vendor's CDN.
    server.requireBasicAuth("mirror", "s3cret");
    Path repofile = work.resolve("up.repo");
    Files.writeString(
        repofile,
        "[up]\nbaseurl="
            + upstream
            + "\nusername=mirror\npassword=s3cret\ngpgkey="
            + keyUrl
            + "\n");
    Path to = work.resolve("m");

    RepoBuilder run =
        RepoBuilder.run(
            "mirror",
            "--to=" + to,
            "--repofile=" + repofile,
            "--arch=x86_64",
            "--gpgcheck",
            "tool");

    assertEquals(0, run.exit(), run.toString());
    assertEquals(Set.of(TOOL), MirrorTestSupport.rpms(to.resolve("Packages")));
  }

  @Test
  void aRepofileGpgkeyOnThisMachineThatIsNotThePackagesKeyRefusesThem() throws Exception {
    String upstream = upstreamSignedBy("foreign", TestKeys.other());
    Path repofile = work.resolve("up.repo");
    Files.writeString(
        repofile,
        "[up]\nbaseurl=" + upstream + "\ngpgkey=" + TestKeys.site().publicKey().toUri() + "\n");
    Path to = work.resolve("m");

    RepoBuilder run =
        RepoBuilder.run(
            "mirror",
            "--to=" + to,
            "--repofile=" + repofile,
            "--arch=x86_64",
            "--gpgcheck",
            "tool");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains(TOOL + ": refused: "), run.err());
    assertTrue(run.err().contains(TestKeys.other().keyId()), run.err());
    assertEquals(Set.of(), MirrorTestSupport.rpms(to.resolve("Packages")));
  }

  @Test
  void gpgcheckWithoutAnyKeyIsAUsageError() throws Exception {
    RepoBuilder run = mirror(work.resolve("m"), "file:///nowhere", "--gpgcheck", "tool");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("--gpgcheck needs a key"), run.err());
  }

  private static long partFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    }
  }
}
