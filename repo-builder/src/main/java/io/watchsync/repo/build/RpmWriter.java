package io.watchsync.repo.build;

import static org.redline_rpm.header.Header.HeaderTag.CHANGELOGNAME;
import static org.redline_rpm.header.Header.HeaderTag.CHANGELOGTEXT;
import static org.redline_rpm.header.Header.HeaderTag.CHANGELOGTIME;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.List;
import org.redline_rpm.Builder;
import org.redline_rpm.Dependency;
import org.redline_rpm.header.AbstractHeader;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Header;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;
import org.redline_rpm.payload.Directive;

/** Writes an {@link RpmDefinition} as a noarch binary RPM with redline. */
public final class RpmWriter {
  private static final int DESCRIPTION_WIDTH = 76;

  /** Writes {@code definition} into {@code outDir} and returns the RPM's path. */
  public Path write(RpmDefinition definition, Path outDir) throws PackagingException {
    for (PayloadEntry entry : definition.payload()) {
      if (!entry.isDirectory() && !Files.isRegularFile(entry.source())) {
        throw new PackagingException(
            definition.name() + ": " + entry.source() + " (for " + entry.path() + ") is missing");
      }
    }
    try {
      Files.createDirectories(outDir);
      RedlineBuilder builder = new RedlineBuilder();
      describe(builder, definition);
      String written = builder.build(outDir.toFile());
      Path rpm = outDir.resolve(written);
      if (!rpm.getFileName().toString().equals(definition.fileName())) {
        throw new PackagingException(
            "redline named the package " + written + ", expected " + definition.fileName());
      }
      return rpm;
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new PackagingException(
          "cannot write " + outDir.resolve(definition.fileName()) + ": " + e.getMessage(), e);
    }
  }

  private static void describe(RedlineBuilder b, RpmDefinition d)
      throws IOException, NoSuchAlgorithmException {
    b.setPackage(d.name(), d.version(), d.release());
    b.withoutEpoch(d.name(), d.version() + "-" + d.release());
    b.setType(RpmType.BINARY);
    b.setPlatform(Architecture.NOARCH, Os.LINUX);
    b.setSummary(d.summary());
    b.setDescription(d.description() == null ? null : wrap(d.description(), DESCRIPTION_WIDTH));
    b.setLicense(d.license());
    b.setUrl(d.url());
    b.setVendor(d.vendor());
    b.setGroup(d.group());
    b.setPackager(d.packager());
    b.setBuildHost(buildHost());
    // rpm tells binary from source packages by this tag: without it dnf refuses the package.
    b.setSourceRpm(d.name() + "-" + d.version() + "-" + d.release() + ".src.rpm");

    boolean rich = false;
    for (Requirement r : d.requires()) {
      b.addDependency(r.name(), r.sense(), r.version());
      rich |= r.isRich();
    }
    if (rich) {
      b.addDependencyLess("rpmlib(RichDependencies)", "4.12.0-1");
    }
    boolean hasConfig = false;
    for (PayloadEntry e : d.payload()) {
      Directive directive = new Directive(e.flags());
      if (e.isDirectory()) {
        b.addDirectory(e.path(), e.mode(), directive, e.user(), e.group(), false);
      } else {
        b.addFile(
            e.path(), e.source().toFile(), e.mode(), -1, directive, e.user(), e.group(), false);
      }
      hasConfig |= (e.flags() & PayloadEntry.CONFIG) != 0;
    }
    for (Requirement p : d.provides()) {
      b.addProvides(p.name(), p.version());
    }
    if (hasConfig) {
      // What rpmbuild adds for every package with %config files.
      b.addProvides("config(" + d.name() + ")", d.version() + "-" + d.release());
    }
    if (d.preInstall() != null) b.setPreInstallScript(d.preInstall());
    if (d.postInstall() != null) b.setPostInstallScript(d.postInstall());
    if (d.preUninstall() != null) b.setPreUninstallScript(d.preUninstall());
    if (d.postUninstall() != null) b.setPostUninstallScript(d.postUninstall());
    b.changelog(d.changelog());
  }

  /**
   * Reflows each paragraph (separated by a blank line) to {@code width} columns: rpm shows the
   * description as is, and rpmlint rejects lines longer than 79.
   */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : text.strip().split("\\n\\s*\\n")) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      int column = 0;
      for (String word : paragraph.strip().split("\\s+")) {
        if (column > 0 && column + 1 + word.length() > width) {
          out.append('\n');
          column = 0;
        } else if (column > 0) {
          out.append(' ');
          column++;
        }
        out.append(word);
        column += word.length();
      }
    }
    return out.toString();
  }

  private static String buildHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Redline's builder, opened up to write the changelog tags from memory. */
  private static final class RedlineBuilder extends Builder {
    /**
     * Redline writes an explicit Epoch 0 and "name = 0:version-release"; rpmbuild writes no epoch,
     * and rpmlint then finds the changelog's "version-release" incoherent. Packages without an
     * epoch compare the same as epoch 0, so dropping it changes no upgrade path.
     */
    void withoutEpoch(String name, String versionRelease) {
      AbstractHeader.Entry<?> epoch = format.getHeader().getEntry(Header.HeaderTag.EPOCH);
      if (epoch != null) {
        format.getHeader().removeEntry(epoch);
      }
      provides.put(name, new Dependency(name, versionRelease, Requirement.EQUAL));
    }

    void changelog(List<ChangelogEntry> entries) {
      if (entries.isEmpty()) {
        return;
      }
      int[] times = new int[entries.size()];
      String[] names = new String[entries.size()];
      String[] texts = new String[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        ChangelogEntry entry = entries.get(i);
        // rpm stores noon UTC of the entry's day, as rpmbuild does.
        times[i] = (int) entry.date().atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
        names[i] = entry.author();
        texts[i] = entry.text();
      }
      format.getHeader().createEntry(CHANGELOGTIME, times);
      format.getHeader().createEntry(CHANGELOGNAME, names);
      format.getHeader().createEntry(CHANGELOGTEXT, texts);
    }
  }
}
