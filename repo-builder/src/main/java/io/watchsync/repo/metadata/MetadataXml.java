package io.watchsync.repo.metadata;

import java.util.List;

/**
 * Writes packages as the entries of primary.xml, filelists.xml and other.xml, laid out as
 * createrepo_c lays them out, and the documents' opening and closing lines.
 */
public final class MetadataXml {
  public static final String COMMON_NS = "http://linux.duke.edu/metadata/common";
  public static final String RPM_NS = "http://linux.duke.edu/metadata/rpm";
  public static final String FILELISTS_NS = "http://linux.duke.edu/metadata/filelists";
  public static final String OTHER_NS = "http://linux.duke.edu/metadata/other";
  private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  private MetadataXml() {}

  public static String primaryStart(int packages) {
    return documentStart(
        "metadata", "xmlns=\"" + COMMON_NS + "\" xmlns:rpm=\"" + RPM_NS + "\"", packages);
  }

  /**
   * createrepo_c ends each document without a newline; so do we, so the two can match byte for
   * byte.
   */
  public static String primaryEnd() {
    return "</metadata>";
  }

  public static String filelistsStart(int packages) {
    return documentStart("filelists", "xmlns=\"" + FILELISTS_NS + "\"", packages);
  }

  public static String filelistsEnd() {
    return "</filelists>";
  }

  public static String otherStart(int packages) {
    return documentStart("otherdata", "xmlns=\"" + OTHER_NS + "\"", packages);
  }

  public static String otherEnd() {
    return "</otherdata>";
  }

  /**
   * The declaration and the root's start tag, namespaces before the package count, as createrepo_c
   * writes all three documents.
   */
  private static String documentStart(String root, String namespaces, int packages) {
    return DECLARATION + "<" + root + " " + namespaces + " packages=\"" + packages + "\">\n";
  }

  public static void primary(StringBuilder out, PackageMetadata p) {
    out.append("<package type=\"rpm\">\n");
    Xml.element(out, "  ", "name", p.name());
    Xml.element(out, "  ", "arch", p.arch());
    version(out, p);
    out.append("  <checksum");
    Xml.attribute(out, "type", p.checksumType());
    out.append(" pkgid=\"YES\">");
    Xml.text(out, p.pkgid());
    out.append("</checksum>\n");
    Xml.element(out, "  ", "summary", p.summary());
    Xml.element(out, "  ", "description", p.description());
    Xml.element(out, "  ", "packager", p.packager());
    Xml.element(out, "  ", "url", p.url());
    out.append("  <time file=\"")
        .append(p.timeFile())
        .append("\" build=\"")
        .append(p.timeBuild())
        .append("\"/>\n");
    out.append("  <size package=\"")
        .append(p.sizePackage())
        .append("\" installed=\"")
        .append(p.sizeInstalled())
        .append("\" archive=\"")
        .append(p.sizeArchive())
        .append("\"/>\n");
    out.append("  <location");
    if (p.locationBase() != null && !p.locationBase().isEmpty()) {
      Xml.attribute(out, "xml:base", p.locationBase());
    }
    Xml.attribute(out, "href", p.locationHref());
    out.append("/>\n");
    out.append("  <format>\n");
    Xml.element(out, "    ", "rpm:license", p.license());
    Xml.element(out, "    ", "rpm:vendor", p.vendor());
    Xml.element(out, "    ", "rpm:group", p.group());
    Xml.element(out, "    ", "rpm:buildhost", p.buildhost());
    Xml.element(out, "    ", "rpm:sourcerpm", p.sourcerpm());
    out.append("    <rpm:header-range start=\"")
        .append(p.headerStart())
        .append("\" end=\"")
        .append(p.headerEnd())
        .append("\"/>\n");
    for (DependencyKind kind : DependencyKind.values()) {
      dependencies(out, kind, p.dependencies(kind));
    }
    for (PackageFile f : p.files()) {
      if (f.inPrimary()) {
        file(out, "    ", f);
      }
    }
    out.append("  </format>\n");
    out.append("</package>\n");
  }

  private static void dependencies(StringBuilder out, DependencyKind kind, List<Dependency> deps) {
    if (deps.isEmpty()) {
      return;
    }
    out.append("    <rpm:").append(kind.element()).append(">\n");
    for (Dependency d : deps) {
      if (d.name() == null || d.name().isEmpty()) {
        continue;
      }
      out.append("      <rpm:entry");
      Xml.attribute(out, "name", d.name());
      if (d.flags() != null && !d.flags().isEmpty()) {
        Xml.attribute(out, "flags", d.flags());
        optional(out, "epoch", d.epoch());
        optional(out, "ver", d.version());
        optional(out, "rel", d.release());
      }
      if (kind == DependencyKind.REQUIRES && d.pre()) {
        out.append(" pre=\"1\"");
      }
      out.append("/>\n");
    }
    out.append("    </rpm:").append(kind.element()).append(">\n");
  }

  private static void optional(StringBuilder out, String name, String value) {
    if (value != null && !value.isEmpty()) {
      Xml.attribute(out, name, value);
    }
  }

  private static void version(StringBuilder out, PackageMetadata p) {
    out.append("  <version");
    Xml.attribute(out, "epoch", p.epoch());
    Xml.attribute(out, "ver", p.version());
    Xml.attribute(out, "rel", p.release());
    out.append("/>\n");
  }

  private static void file(StringBuilder out, String indent, PackageFile f) {
    out.append(indent).append("<file");
    if (!f.type().isEmpty()) {
      Xml.attribute(out, "type", f.type());
    }
    out.append('>');
    Xml.text(out, f.path());
    out.append("</file>\n");
  }

  private static void packageStart(StringBuilder out, PackageMetadata p) {
    out.append("<package");
    Xml.attribute(out, "pkgid", p.pkgid());
    Xml.attribute(out, "name", p.name());
    Xml.attribute(out, "arch", p.arch());
    out.append(">\n");
    version(out, p);
  }

  public static void filelists(StringBuilder out, PackageMetadata p) {
    packageStart(out, p);
    for (PackageFile f : p.files()) {
      file(out, "  ", f);
    }
    out.append("</package>\n");
  }

  public static void other(StringBuilder out, PackageMetadata p) {
    packageStart(out, p);
    for (ChangelogItem c : p.changelogs()) {
      out.append("  <changelog");
      Xml.attribute(out, "author", c.author());
      Xml.attribute(out, "date", Long.toString(c.date()));
      out.append('>');
      Xml.text(out, c.text());
      out.append("</changelog>\n");
    }
    out.append("</package>\n");
  }
}
