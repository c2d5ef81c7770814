package io.watchsync.repo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * RPMs built by the real rpmbuild, once per test JVM, in a temporary directory removed when the JVM
 * exits. Two sets:
 *
 * <ul>
 *   <li>The metadata packages ({@link #all()}), covering what repository metadata must describe:
 *       noarch and arch packages, epochs, every dependency kind (with pre, weak ones, libc.so.6
 *       versions, requires that repeat a provide or a package's own file), config, ghost and
 *       directory entries, primary and non-primary paths, long changelogs with shared dates,
 *       ISO-8859-1 and UTF-8 text, gzip, xz and zstd payloads, a package without files, rich
 *       dependencies and a source RPM (control characters need redline: see ControlCharactersTest).
 *   <li>The version packages ({@link #versionRpm(String)}): small noarch packages of alpha, beta
 *       and gamma in the versions collect must order (an epoch, a tilde pre-release). Each holds
 *       20000 random bytes, so no two builds are alike; the alpha packages come with their source
 *       RPMs.
 * </ul>
 */
public final class FixtureRpms {
  public static final String ALPHA_1_0 = "alpha-1.0-1.noarch.rpm";
  public static final String ALPHA_1_1 = "alpha-1.1-1.noarch.rpm";
  public static final String ALPHA_1_0_SRC = "alpha-1.0-1.src.rpm";
  public static final String ALPHA_1_1_SRC = "alpha-1.1-1.src.rpm";

  /** beta 2.0-1 without an epoch: older than {@link #BETA_EPOCH_1_1_0}. */
  public static final String BETA_2_0 = "beta-2.0-1.noarch.rpm";

  /** beta 1:1.0-1: its epoch makes it newer than 2.0-1. */
  public static final String BETA_EPOCH_1_1_0 = "beta-1.0-1.noarch.rpm";

  /** gamma 1.0~rc1-1: a pre-release, older than {@link #GAMMA_1_0}. */
  public static final String GAMMA_1_0_RC1 = "gamma-1.0~rc1-1.noarch.rpm";

  public static final String GAMMA_1_0 = "gamma-1.0-1.noarch.rpm";

  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static Path root;
  private static Path metadataRpms;
  private static Map<String, Path> versionRpms;
  private static Path rebuiltAlpha10;

  private FixtureRpms() {}

  /** The metadata packages, built once (binary and source RPMs side by side). */
  public static synchronized List<Path> all() throws IOException {
    if (metadataRpms == null) {
      metadataRpms = buildMetadataRpms();
    }
    try (Stream<Path> s = Files.list(metadataRpms)) {
      return s.filter(p -> p.toString().endsWith(".rpm")).sorted().toList();
    }
  }

  /** Copies (or hard-links) the metadata packages into {@code repo}, keeping their times. */
  public static void copyInto(Path repo) throws IOException {
    Files.createDirectories(repo);
    for (Path rpm : all()) {
      Files.copy(rpm, repo.resolve(rpm.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** The version package of that file name ({@link #ALPHA_1_0}, …), built on first use. */
  public static synchronized Path versionRpm(String fileName) throws IOException {
    buildVersionRpmsOnce();
    Path rpm = versionRpms.get(fileName);
    if (rpm == null) {
      throw new IllegalArgumentException("no fixture " + fileName);
    }
    return rpm;
  }

  /** alpha-1.0-1.noarch.rpm built a second time: same name, different bytes. */
  public static synchronized Path rebuiltAlpha10() throws IOException {
    buildVersionRpmsOnce();
    return rebuiltAlpha10;
  }

  private static Path buildMetadataRpms() throws IOException {
    Path dir = Files.createDirectories(root().resolve("metadata"));
    Path out = Files.createDirectories(dir.resolve("out"));
    metadataRpm(dir, "alpha", ALPHA_SPEC, "w2.xzdio", true, out);
    metadataRpm(dir, "beta", BETA_SPEC, "w3.zstdio", false, out);
    metadataRpm(dir, "gamma", GAMMA_SPEC, "w6.gzdio", false, out);
    metadataRpm(dir, "delta", DELTA_SPEC, "w6.gzdio", false, out);
    metadataRpm(dir, "epsilon", EPSILON_SPEC, "w6.gzdio", false, out);
    return out;
  }

  private static void metadataRpm(
      Path dir, String name, String spec, String payload, boolean withSource, Path out)
      throws IOException {
    List<String> defines =
        List.of(
            "_invalid_encoding_terminates_build 0",
            "_binary_payload " + payload,
            "_source_payload w6.gzdio");
    for (Path rpm : rpmbuild(dir.resolve(name), name, spec, withSource, defines)) {
      Files.move(rpm, out.resolve(rpm.getFileName()));
    }
  }

  private static void buildVersionRpmsOnce() throws IOException {
    if (versionRpms != null) {
      return;
    }
    Path dir = root().resolve("versions");
    Map<String, Path> rpms = new HashMap<>();
    putByFileName(versionRpm(dir.resolve("alpha-1.0"), "alpha", 0, "1.0", true), rpms);
    putByFileName(versionRpm(dir.resolve("alpha-1.1"), "alpha", 0, "1.1", true), rpms);
    putByFileName(versionRpm(dir.resolve("beta-2.0"), "beta", 0, "2.0", false), rpms);
    putByFileName(versionRpm(dir.resolve("beta-1-1.0"), "beta", 1, "1.0", false), rpms);
    putByFileName(versionRpm(dir.resolve("gamma-rc"), "gamma", 0, "1.0~rc1", false), rpms);
    putByFileName(versionRpm(dir.resolve("gamma"), "gamma", 0, "1.0", false), rpms);
    // Each build packs fresh random data, so the rebuild has the same name and other bytes.
    rebuiltAlpha10 =
        versionRpm(dir.resolve("alpha-1.0-again"), "alpha", 0, "1.0", false).stream()
            .filter(p -> p.getFileName().toString().equals(ALPHA_1_0))
            .findFirst()
            .orElseThrow();
    versionRpms = rpms;
  }

  private static void putByFileName(List<Path> rpms, Map<String, Path> into) {
    for (Path p : rpms) {
      into.put(p.getFileName().toString(), p);
    }
  }

  /** Builds NAME-[EPOCH:]VERSION-1.noarch.rpm (and its source RPM) in {@code dir}. */
  private static List<Path> versionRpm(
      Path dir, String name, int epoch, String version, boolean withSource) throws IOException {
    String spec =
        String.join(
            "\n",
            "Name: " + name,
            "Version: " + version,
            "Release: 1",
            epoch != 0 ? "Epoch: " + epoch : "",
            "Summary: A fixture package",
            "License: MIT",
            "BuildArch: noarch",
            "%description",
            "A fixture package.",
            "%install",
            "mkdir -p %{buildroot}/usr/share/" + name,
            "head -c 20000 /dev/urandom > %{buildroot}/usr/share/" + name + "/data",
            "%files",
            "/usr/share/" + name + "/data",
            "");
    // No defines: nothing here depends on the payload's compression, so rpmbuild's default does.
    return rpmbuild(dir, name, spec, withSource, List.of());
  }

  /**
   * The one place rpmbuild runs: writes {@code spec} into {@code dir} and builds it there, in a top
   * directory of its own, with {@code defines} (each "MACRO VALUE") on top of the defaults. Returns
   * the RPMs built.
   */
  private static List<Path> rpmbuild(
      Path dir, String name, String spec, boolean withSource, List<String> defines)
      throws IOException {
    return rpmbuild(dir, name, spec, withSource, defines, null);
  }

  /** As above, for {@code target} (rpmbuild --target) unless null. */
  static List<Path> rpmbuild(
      Path dir, String name, String spec, boolean withSource, List<String> defines, String target)
      throws IOException {
    Path specFile = Files.createDirectories(dir).resolve(name + ".spec");
    // ISO-8859-1 keeps each char one byte: the metadata specs hold deliberate non-UTF-8 bytes.
    Files.writeString(specFile, spec, StandardCharsets.ISO_8859_1);
    Path top = dir.resolve("top");
    List<String> command =
        new ArrayList<>(
            List.of(
                "rpmbuild",
                "--quiet",
                "--define",
                "_topdir " + top,
                "--define",
                "_build_id_links none"));
    for (String define : defines) {
      command.add("--define");
      command.add(define);
    }
    if (target != null) {
      command.add("--target");
      command.add(target);
    }
    command.add(withSource ? "-ba" : "-bb");
    command.add(specFile.toString());
    Command.run(DEADLINE, command).ok("rpmbuild " + specFile);
    try (Stream<Path> s = Files.walk(top)) {
      return s.filter(p -> p.toString().endsWith(".rpm")).toList();
    }
  }

  /** The temporary directory every fixture is built in, removed when the JVM exits. */
  private static Path root() throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("fixture-rpms-");
      Path created = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
    }
    return root;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: it is a temporary directory.
    }
  }

  private static final String ALPHA_SPEC =
      """
      Name: alpha
      Version: 1.2
      Release: 3.el9
      Epoch: 2
      Summary: Alpha: every kind of dependency & <markup>
      License: MIT and (GPLv2+ or BSD)
      URL: https://example.org/alpha?x=1&y=2
      Group: Applications/System
      Vendor: Example Vendor
      Packager: Pat Packager <pat@example.org>
      Provides: alpha-virtual = 5
      Provides: cap(feature) = 1.0-1
      Provides: /usr/bin/alpha-alias
      Requires: rsync >= 3.1
      Requires: cap(feature) = 1.0-1
      Requires: /etc/alpha/alpha.conf
      Requires: /usr/share/alpha/data.txt
      Requires(pre): /bin/sh
      Requires(post): coreutils
      Requires(preun): procps
      Requires: coreutils
      Requires: libc.so.6()(64bit)
      Requires: libc.so.6(GLIBC_2.4)(64bit)
      Requires: libc.so.6(GLIBC_2.17)(64bit)
      Requires: libc.so.6(GLIBC_2.3.4)(64bit)
      Requires: tilde >= 1.0~rc1
      Conflicts: other < 2
      Conflicts: another <= 3:1.0-1
      Obsoletes: alpha-old < 1.0
      Recommends: rec-pkg
      Suggests: sug-pkg > 1
      Supplements: (alpha-plugin and alpha)
      Enhances: enh-pkg
      OrderWithRequires: ordered

      %description
      Alpha exercises every field of primary.xml.
      Second line: quotes " and ' and tabs\tin text.

      %prep
      %build
      %install
      mkdir -p %{buildroot}/etc/alpha %{buildroot}/usr/bin %{buildroot}/usr/sbin \\
        %{buildroot}/opt/alpha/sbin %{buildroot}/usr/lib %{buildroot}/usr/share/alpha/sub \\
        %{buildroot}/var/log/alpha %{buildroot}/usr/libexec/alpha
      echo conf > %{buildroot}/etc/alpha/alpha.conf
      echo tool > %{buildroot}/usr/bin/alpha
      echo admin > %{buildroot}/usr/sbin/alpha-admin
      echo opt > %{buildroot}/opt/alpha/sbin/helper
      echo mail > %{buildroot}/usr/lib/sendmail
      echo data > %{buildroot}/usr/share/alpha/data.txt
      echo sub > "%{buildroot}/usr/share/alpha/sub/name with spaces & <angle>.txt"
      echo libexec > %{buildroot}/usr/libexec/alpha/run
      chmod 0755 %{buildroot}/usr/bin/alpha %{buildroot}/usr/sbin/alpha-admin

      %pre
      true
      %post
      true

      %files
      %dir /etc/alpha
      %config(noreplace) /etc/alpha/alpha.conf
      /usr/bin/alpha
      /usr/sbin/alpha-admin
      /opt/alpha
      /usr/lib/sendmail
      /usr/share/alpha
      /usr/libexec/alpha
      %dir /var/log/alpha
      %ghost /var/log/alpha/alpha.log
      %ghost %dir /var/lib/alpha

      %changelog
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-3
      - twelfth
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-2
      - eleventh, same day
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-1
      - tenth, same day again
      * Mon Nov 23 2026 Pat <pat@example.org> - 2:1.1-9
      - ninth
      * Sun Nov 22 2026 Pat <pat@example.org> - 2:1.1-8
      - eighth
      * Sat Nov 21 2026 Pat <pat@example.org> - 2:1.1-7
      - seventh
      * Fri Nov 20 2026 Pat <pat@example.org> - 2:1.1-6
      - sixth
      * Thu Nov 19 2026 Pat <pat@example.org> - 2:1.1-5
      - fifth
      * Wed Nov 18 2026 Pat <pat@example.org> - 2:1.1-4
      - fourth
      * Tue Nov 17 2026 Pat <pat@example.org> - 2:1.1-3
      - third
      * Mon Nov 16 2026 Pat <pat@example.org> - 2:1.1-2
      - second
      * Sun Nov 15 2026 Pat <pat@example.org> - 2:1.1-1
      - first & <oldest>
      """;

  private static final String BETA_SPEC =
      """
      Name: beta
      Version: 0.9
      Release: 1
      Summary: Beta: ISO-8859-1 text, caf\u00e9 (not UTF-8)
      License: GPLv2
      BuildArch: noarch
      Packager: Ren\u00e9 M\u00fcller <rene@example.org>
      Requires: alpha >= 2:1.2

      %description
      Beschreibung auf Deutsch: Gr\u00fc\u00dfe, Stra\u00dfe. The bytes are ISO-8859-1.
      An \u0080-\u00bf byte (\u0085) is dropped, as createrepo_c drops it.

      %install
      mkdir -p %{buildroot}/usr/share/beta
      echo b > %{buildroot}/usr/share/beta/caf\u00e9.txt

      %files
      /usr/share/beta

      %changelog
      * Mon Nov 23 2026 Ren\u00e9 M\u00fcller <rene@example.org>   - 0.9-1
      - premi\u00e8re version
      """;

  private static final String GAMMA_SPEC =
      """
      Name: gamma
      Version: 3.0
      Release: 1
      Summary: Gamma: UTF-8 text \u00c3\u00a9t\u00c3\u00a9
      License: ASL 2.0
      BuildArch: noarch
      Provides: gamma-api(x86-64) = 3.0
      Obsoletes: gamma-legacy <= 2.9-9
      Conflicts: gamma-broken = 1:3.0-0

      %description
      Valid UTF-8 stays as it is: na\u00c3\u00afve \u00e2\u0082\u00ac.

      %install
      mkdir -p %{buildroot}/usr/bin
      echo g > %{buildroot}/usr/bin/gamma

      %files
      /usr/bin/gamma
      """;

  private static final String DELTA_SPEC =
      """
      Name: delta
      Version: 1.0^git20260101
      Release: 0.1
      Summary: Delta: no changelog, no URL, weak dependencies with versions
      License: Public Domain
      BuildArch: noarch
      Recommends: gamma >= 3.0
      Suggests: beta
      Supplements: alpha = 2:1.2-3.el9
      Enhances: gamma < 4

      %description
      Delta.

      %install
      mkdir -p %{buildroot}/etc/delta.d
      echo d > %{buildroot}/etc/delta.d/one.conf

      %files
      %config /etc/delta.d/one.conf
      %dir /etc/delta.d
      """;

  private static final String EPSILON_SPEC =
      """
      Name: epsilon
      Version: 2
      Release: 1
      Summary: Epsilon: a package without files, rich dependencies
      License: MIT
      BuildArch: noarch
      Requires: (gamma or delta)
      Requires: (beta if alpha)
      Provides: eps(abc)
      Provides: eps-epoch = 3:2
      Conflicts: zeta = 1:2

      %description
      Epsilon installs nothing: a meta package.

      %files
      """;
}
