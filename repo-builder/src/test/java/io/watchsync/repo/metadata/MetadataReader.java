package io.watchsync.repo.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads primary.xml, filelists.xml and other.xml (already decompressed) back into {@link
 * PackageMetadata}: what the tests compare, field by field. Whoever wrote the files, createrepo_c
 * or repo-builder, is read alike.
 */
public final class MetadataReader {
  /**
   * Keyed by pkgid and occurrence: the same file may sit in a repository under two names, and the
   * three documents list packages in the same order, so the n-th entry of a pkgid in filelists.xml
   * belongs to its n-th entry in primary.xml.
   */
  private final Map<String, Builder> packages = new LinkedHashMap<>();

  /** Mutable collector for one package while its three entries are read. */
  private static final class Builder {
    final Map<String, String> fields = new LinkedHashMap<>();
    final Map<DependencyKind, List<Dependency>> deps = new EnumMap<>(DependencyKind.class);
    List<PackageFile> primaryFiles = new ArrayList<>();
    List<PackageFile> files;
    final List<ChangelogItem> changelogs = new ArrayList<>();
  }

  public void readPrimary(InputStream in) throws IOException {
    parse(in, new PrimaryHandler());
  }

  public void readFilelists(InputStream in) throws IOException {
    parse(in, new PerPackageHandler(true));
  }

  public void readOther(InputStream in) throws IOException {
    parse(in, new PerPackageHandler(false));
  }

  /**
   * Every package read, in the order of primary.xml; a package without a filelists entry keeps its
   * primary file list.
   */
  public List<PackageMetadata> packages() {
    List<PackageMetadata> out = new ArrayList<>(packages.size());
    for (Builder b : packages.values()) {
      if (b.fields.get("name") == null) {
        continue; // only in filelists or other: not a package of this repository
      }
      Map<String, String> f = b.fields;
      out.add(
          new PackageMetadata(
              f.get("name"),
              f.get("arch"),
              f.get("epoch"),
              f.get("ver"),
              f.get("rel"),
              f.get("checksumType"),
              f.get("pkgid"),
              f.get("summary"),
              f.get("description"),
              f.get("packager"),
              f.get("url"),
              number(f.get("timeFile")),
              number(f.get("timeBuild")),
              number(f.get("sizePackage")),
              number(f.get("sizeInstalled")),
              number(f.get("sizeArchive")),
              f.get("href"),
              f.get("base"),
              f.get("rpm:license"),
              f.get("rpm:vendor"),
              f.get("rpm:group"),
              f.get("rpm:buildhost"),
              f.get("rpm:sourcerpm"),
              number(f.get("headerStart")),
              number(f.get("headerEnd")),
              b.deps,
              b.files != null ? b.files : b.primaryFiles,
              b.changelogs));
    }
    return out;
  }

  private static long number(String s) {
    return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
  }

  private static void parse(InputStream in, DefaultHandler handler) throws IOException {
    try {
      SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      SAXParser parser = factory.newSAXParser();
      parser.parse(in, handler);
    } catch (SAXException e) {
      throw new IOException("not valid repository metadata: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's SAX parser cannot be configured", e);
    }
  }

  private Builder builder(String pkgid, Map<String, Integer> seen) {
    int n = seen.merge(pkgid, 1, Integer::sum);
    return packages.computeIfAbsent(pkgid + "#" + n, k -> new Builder());
  }

  /** Collects character data between an element's start and end. */
  private abstract static class TextHandler extends DefaultHandler {
    final StringBuilder text = new StringBuilder();

    @Override
    public void characters(char[] ch, int start, int length) {
      text.append(ch, start, length);
    }

    String takeText() {
      String s = text.toString();
      text.setLength(0);
      return s;
    }
  }

  private final class PrimaryHandler extends TextHandler {
    private final Map<String, Integer> seen = new java.util.HashMap<>();
    private Builder current;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<DependencyKind, List<Dependency>> deps = new EnumMap<>(DependencyKind.class);
    private final List<PackageFile> files = new ArrayList<>();
    private DependencyKind kind;
    private String fileType;

    @Override
    public void startElement(String uri, String local, String qName, Attributes a) {
      text.setLength(0);
      switch (qName) {
        case "package" -> {
          fields.clear();
          deps.clear();
          files.clear();
        }
        case "version" -> {
          fields.put("epoch", a.getValue("epoch"));
          fields.put("ver", a.getValue("ver"));
          fields.put("rel", a.getValue("rel"));
        }
        case "checksum" -> fields.put("checksumType", a.getValue("type"));
        case "time" -> {
          fields.put("timeFile", a.getValue("file"));
          fields.put("timeBuild", a.getValue("build"));
        }
        case "size" -> {
          fields.put("sizePackage", a.getValue("package"));
          fields.put("sizeInstalled", a.getValue("installed"));
          fields.put("sizeArchive", a.getValue("archive"));
        }
        case "location" -> {
          fields.put("href", a.getValue("href"));
          fields.put("base", a.getValue("xml:base"));
        }
        case "rpm:header-range" -> {
          fields.put("headerStart", a.getValue("start"));
          fields.put("headerEnd", a.getValue("end"));
        }
        case "rpm:entry" -> {
          if (kind != null) {
            deps.computeIfAbsent(kind, k -> new ArrayList<>())
                .add(
                    new Dependency(
                        a.getValue("name"),
                        a.getValue("flags"),
                        a.getValue("epoch"),
                        a.getValue("ver"),
                        a.getValue("rel"),
                        "1".equals(a.getValue("pre"))));
          }
        }
        case "file" -> fileType = a.getValue("type");
        default -> {
          if (qName.startsWith("rpm:")) {
            DependencyKind k = kindOf(qName.substring(4));
            if (k != null) {
              kind = k;
            }
          }
        }
      }
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      String value = takeText();
      switch (qName) {
        case "name", "arch", "summary", "description", "packager", "url" ->
            fields.put(qName, value);
        case "rpm:license", "rpm:vendor", "rpm:group", "rpm:buildhost", "rpm:sourcerpm" ->
            fields.put(qName, value);
        case "checksum" -> fields.put("pkgid", value);
        case "file" -> files.add(new PackageFile(value, fileType == null ? "" : fileType));
        case "package" -> {
          current = builder(fields.get("pkgid"), seen);
          current.fields.putAll(fields);
          current.deps.putAll(deps);
          current.primaryFiles = new ArrayList<>(files);
        }
        default -> {
          if (qName.startsWith("rpm:") && kindOf(qName.substring(4)) != null) {
            kind = null;
          }
        }
      }
    }
  }

  private final class PerPackageHandler extends TextHandler {
    private final Map<String, Integer> seen = new java.util.HashMap<>();
    private final boolean filelists;
    private Builder current;
    private String fileType;
    private String author;
    private String date;

    PerPackageHandler(boolean filelists) {
      this.filelists = filelists;
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes a) {
      text.setLength(0);
      switch (qName) {
        case "package" -> {
          current = builder(a.getValue("pkgid"), seen);
          if (filelists) {
            current.files = new ArrayList<>();
          }
        }
        case "file" -> fileType = a.getValue("type");
        case "changelog" -> {
          author = a.getValue("author");
          date = a.getValue("date");
        }
        default -> {}
      }
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      String value = takeText();
      if (current == null) {
        return;
      }
      if (qName.equals("file") && filelists) {
        current.files.add(new PackageFile(value, fileType == null ? "" : fileType));
      } else if (qName.equals("changelog") && !filelists) {
        current.changelogs.add(new ChangelogItem(author, number(date), value));
      }
    }
  }

  /** The dependency list an element such as {@code rpm:requires} holds (by local name); null. */
  private static DependencyKind kindOf(String localName) {
    for (DependencyKind k : DependencyKind.values()) {
      if (k.element().equals(localName)) {
        return k;
      }
    }
    return null;
  }
}
