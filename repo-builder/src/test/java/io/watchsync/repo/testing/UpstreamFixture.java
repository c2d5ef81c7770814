package io.watchsync.repo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An upstream repository built once per test JVM by the real rpmbuild and createrepo_c, whose
 * packages use every kind of dependency a mirror must follow:
 *
 * <ul>
 *   <li>app 1.0 and 2.0; 2.0 requires libfoo >= 2.0 (libfoo 1.0 and 2.0 exist), the file
 *       /opt/data/thing.dat (only in filelists.xml, from datapkg), /usr/bin/tool (in primary.xml,
 *       from tool), the virtual capability virtual-cap (provided by impl and implementation),
 *       (web-a or web-b), oldtool (obsoleted and provided by newtool), native (x86_64 and i686
 *       builds), (cond-x if tool), cap2 (provided by zz-p and aaa-provider: dnf takes the first
 *       name, not the shortest); it recommends extra, and plugin supplements it;
 *   <li>stackpkg 1.0 and 2.0, the artifacts of module stack's streams 1 (the default) and 2;
 *   <li>broken, which requires what nothing provides; unused, only optional in a group;
 *   <li>comps with group core-tools (app mandatory, tool default, unused optional), group extras
 *       (extra) and environment tooling (core-tools; extras optional).
 * </ul>
 */
public final class UpstreamFixture {
  public static final String GROUP = "core-tools";
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static Path repo;
  private static Path rebuiltTool;

  private UpstreamFixture() {}

  /** The repository (packages and repodata), built on first use; copy it before changing it. */
  public static synchronized Path repository() throws IOException {
    if (repo == null) {
      repo = build();
    }
    return repo;
  }

  /** tool-1.0-1.noarch.rpm built a second time: same file name, other bytes. */
  public static synchronized Path rebuiltTool() throws IOException {
    repository();
    return rebuiltTool;
  }

  /** A copy of the repository in {@code dir}, to change without touching the shared one. */
  public static Path copy(Path dir) throws IOException {
    Path source = repository();
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path to = dir.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return dir;
  }

  /**
   * Runs createrepo_c on {@code dir} again (after a package changed), keeping groups and modules.
   */
  public static void reindex(Path dir) throws IOException {
    reindex(dir, "gz");
  }

  /** As {@link #reindex(Path)}, the metadata compressed with {@code compression} (gz, bz2, xz…). */
  public static void reindex(Path dir, String compression) throws IOException {
    Path comps = dir.resolveSibling(dir.getFileName() + "-comps.xml");
    Files.writeString(comps, COMPS, StandardCharsets.UTF_8);
    Command.run(
            DEADLINE,
            "createrepo_c",
            "--quiet",
            "--general-compress-type=" + compression,
            "-g",
            comps.toString(),
            dir.toString())
        .ok("createrepo_c " + dir);
    Path modules =
        Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-modules"))
            .resolve("modules.yaml");
    Files.writeString(modules, MODULES, StandardCharsets.UTF_8);
    Command.run(
            DEADLINE,
            "modifyrepo_c",
            "--compress-type=" + compression,
            "--mdtype=modules",
            modules.toString(),
            dir.resolve("repodata").toString())
        .ok("modifyrepo_c " + dir);
    Path updateinfo =
        Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-updateinfo"))
            .resolve("updateinfo.xml");
    Files.writeString(updateinfo, UPDATEINFO, StandardCharsets.UTF_8);
    Command.run(
            DEADLINE,
            "modifyrepo_c",
            "--compress-type=" + compression,
            "--mdtype=updateinfo",
            updateinfo.toString(),
            dir.resolve("repodata").toString())
        .ok("modifyrepo_c " + dir);
  }

  private static Path build() throws IOException {
    Path work = Files.createTempDirectory("upstream-fixture-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
    Path out = Files.createDirectories(work.resolve("repo/Packages"));
    List<String> defines = List.of("debug_package %{nil}", "_unpackaged_files_terminate_build 0");
    collect(
        FixtureRpms.rpmbuild(work.resolve("v2"), "fixture-two", SPEC_TWO, false, defines, null),
        out);
    collect(
        FixtureRpms.rpmbuild(work.resolve("v1"), "fixture-one", SPEC_ONE, false, defines, null),
        out);
    for (String arch : List.of("x86_64", "i686")) {
      collect(
          FixtureRpms.rpmbuild(
              work.resolve("native-" + arch), "native", NATIVE, false, defines, arch),
          out);
    }
    List<Path> again =
        FixtureRpms.rpmbuild(
            work.resolve("tool-again"), "fixture-one", SPEC_ONE, false, defines, null);
    rebuiltTool =
        again.stream()
            .filter(p -> p.getFileName().toString().equals("tool-1.0-1.noarch.rpm"))
            .findFirst()
            .orElseThrow();
    Path repository = work.resolve("repo");
    reindex(repository);
    return repository;
  }

  private static void collect(List<Path> rpms, Path out) throws IOException {
    for (Path rpm : rpms) {
      Files.move(rpm, out.resolve(rpm.getFileName()));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: it is a temporary directory.
    }
  }

  /** A subpackage of a fixture spec: its preamble lines and one data file of random bytes. */
  private record Sub(String name, String text) {
    Sub plus(String files) {
      return new Sub(name, text + files);
    }
  }

  private static Sub sub(String name, String... preamble) {
    StringBuilder s = new StringBuilder();
    s.append("%package -n ").append(name).append('\n');
    s.append("Summary: ").append(name).append('\n');
    for (String line : preamble) {
      s.append(line).append('\n');
    }
    s.append("%description -n ").append(name).append('\n').append(name).append(".\n");
    s.append("%files -n ").append(name).append('\n');
    s.append("/usr/share/fixture/").append(name).append('\n');
    return new Sub(name, s.toString());
  }

  private static String spec(String version, Sub... subpackages) {
    StringBuilder s = new StringBuilder();
    s.append("Name: fixture\nVersion: ").append(version).append("\nRelease: 1\n");
    s.append("Summary: Fixtures\nLicense: MIT\nBuildArch: noarch\n");
    s.append("%description\nFixtures.\n");
    for (Sub sub : subpackages) {
      s.append(sub.text());
    }
    s.append("%install\nmkdir -p %{buildroot}/usr/share/fixture\n");
    for (Sub sub : subpackages) {
      s.append("head -c 3000 /dev/urandom > %{buildroot}/usr/share/fixture/")
          .append(sub.name())
          .append('\n');
    }
    s.append("mkdir -p %{buildroot}/opt/data %{buildroot}/usr/bin\n");
    s.append("echo thing > %{buildroot}/opt/data/thing.dat\n");
    s.append("echo tool > %{buildroot}/usr/bin/tool\n");
    return s.toString();
  }

  private static final String SPEC_TWO =
      spec(
          "2.0",
          sub(
              "app",
              "Requires: libfoo >= 2.0",
              "Requires: /opt/data/thing.dat",
              "Requires: /usr/bin/tool",
              "Requires: virtual-cap",
              "Requires: (web-a or web-b)",
              "Requires: oldtool",
              "Requires: native",
              "Requires: (cond-x if tool)",
              "Requires: cap2",
              "Recommends: extra"),
          sub("libfoo"),
          sub("newtool", "Obsoletes: oldtool < 2.0", "Provides: oldtool = 2.0"),
          sub("stackpkg"));

  private static final String SPEC_ONE =
      spec(
          "1.0",
          sub("app", "Requires: libfoo"),
          sub("libfoo"),
          sub("datapkg").plus("/opt/data/thing.dat\n"),
          sub("impl", "Provides: virtual-cap"),
          sub("implementation", "Provides: virtual-cap"),
          sub("web-a"),
          sub("web-b"),
          sub("oldtool"),
          sub("extra"),
          sub("plugin", "Supplements: app"),
          sub("tool").plus("/usr/bin/tool\n"),
          sub("cond-x"),
          sub("stackpkg"),
          sub("broken", "Requires: does-not-exist"),
          sub("unused"),
          sub("zz-p", "Provides: cap2"),
          sub("aaa-provider", "Provides: cap2"));

  private static final String NATIVE =
      """
      Name: native
      Version: 1.0
      Release: 1
      Summary: An arch package
      License: MIT
      %description
      Built for x86_64 and i686.
      %install
      mkdir -p %{buildroot}/usr/share/native
      head -c 3000 /dev/urandom > %{buildroot}/usr/share/native/data
      %files
      /usr/share/native/data
      """;

  public static final String COMPS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
      <comps>
        <group>
          <id>core-tools</id>
          <name>Core Tools</name>
          <description>The tools.</description>
          <default>false</default>
          <uservisible>true</uservisible>
          <packagelist>
            <packagereq type="mandatory">app</packagereq>
            <packagereq type="default">tool</packagereq>
            <packagereq type="optional">unused</packagereq>
          </packagelist>
        </group>
        <group>
          <id>extras</id>
          <name>Extras</name>
          <description>Only on request.</description>
          <default>false</default>
          <uservisible>true</uservisible>
          <packagelist>
            <packagereq type="mandatory">extra</packagereq>
          </packagelist>
        </group>
        <environment>
          <id>tooling</id>
          <name>Tooling Environment</name>
          <description>The tools, extras on request.</description>
          <display_order>10</display_order>
          <grouplist>
            <groupid>core-tools</groupid>
          </grouplist>
          <optionlist>
            <groupid>extras</groupid>
          </optionlist>
        </environment>
      </comps>
      """;

  /** Two advisories: FIX-1 for tool and unused, FIX-2 for unused only. */
  public static final String UPDATEINFO =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <updates>
        <update from="security@example.org" status="final" type="bugfix" version="1">
          <id>FIX-1</id>
          <title>tool and unused fixed</title>
          <issued date="2026-11-01 00:00:00"/>
          <description>Fixes.</description>
          <pkglist>
            <collection short="fixture">
              <name>fixture</name>
              <package name="tool" version="1.0" release="1" epoch="0" arch="noarch" src="fixture-1.0-1.src.rpm">
                <filename>tool-1.0-1.noarch.rpm</filename>
              </package>
              <package name="unused" version="1.0" release="1" epoch="0" arch="noarch" src="fixture-1.0-1.src.rpm">
                <filename>unused-1.0-1.noarch.rpm</filename>
              </package>
            </collection>
          </pkglist>
        </update>
        <update from="security@example.org" status="final" type="security" version="1">
          <id>FIX-2</id>
          <title>unused fixed</title>
          <issued date="2026-11-02 00:00:00"/>
          <description>More fixes.</description>
          <pkglist>
            <collection short="fixture">
              <name>fixture</name>
              <package name="unused" version="1.0" release="1" epoch="0" arch="noarch" src="fixture-1.0-1.src.rpm">
                <filename>unused-1.0-1.noarch.rpm</filename>
              </package>
            </collection>
          </pkglist>
        </update>
      </updates>
      """;

  public static final String MODULES =
      """
      ---
      document: modulemd
      version: 2
      data:
        name: stack
        stream: "1"
        version: 20260101
        context: c0ffee01
        arch: noarch
        summary: Stack, stream 1
        description: The first stream.
        license:
          module: [MIT]
        profiles:
          default:
            rpms: [stackpkg]
        artifacts:
          rpms:
          - stackpkg-0:1.0-1.noarch
      ...
      ---
      document: modulemd
      version: 2
      data:
        name: stack
        stream: "2"
        version: 20260101
        context: c0ffee02
        arch: noarch
        summary: Stack, stream 2
        description: The second stream.
        license:
          module: [MIT]
        profiles:
          default:
            rpms: [stackpkg]
        artifacts:
          rpms:
          - stackpkg-0:2.0-1.noarch
      ...
      ---
      document: modulemd-defaults
      version: 1
      data:
        module: stack
        stream: "1"
        profiles:
          "1": [default]
      ...
      """;
}
