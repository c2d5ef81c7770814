package io.watchsync.repo.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** repodata/repomd.xml: the revision and one record per metadata file. */
public record Repomd(String revision, List<Record> records) {
  static final String NS = "http://linux.duke.edu/metadata/repo";
  static final String RPM_NS = "http://linux.duke.edu/metadata/rpm";

  /**
   * One {@code <data>} element. {@code location} is relative to the repository root
   * (repodata/NAME); the optional fields are null or negative when the record has none.
   */
  public record Record(
      String type,
      String checksumType,
      String checksum,
      String openChecksum,
      String location,
      long timestamp,
      long size,
      long openSize,
      String headerChecksum,
      long headerSize,
      String databaseVersion) {}

  /** The record of {@code type}, or null. */
  public Record record(String type) {
    for (Record r : records) {
      if (r.type.equals(type)) {
        return r;
      }
    }
    return null;
  }

  /** Reads {@code file}; an unreadable or malformed file is an IOException saying why. */
  public static Repomd read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Handler h = new Handler();
      SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.newSAXParser().parse(in, h);
      return new Repomd(h.revision, h.records);
    } catch (SAXException e) {
      throw new IOException(file + ": not a valid repomd.xml: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's SAX parser cannot be configured", e);
    }
  }

  /** The document as createrepo_c lays it out. */
  public String toXml() {
    StringBuilder out = new StringBuilder(2048);
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<repomd xmlns=\"").append(NS).append("\" xmlns:rpm=\"").append(RPM_NS);
    out.append("\">\n");
    out.append("  <revision>").append(escape(revision)).append("</revision>\n");
    for (Record r : records) {
      out.append("  <data type=\"").append(escape(r.type)).append("\">\n");
      checksum(out, "checksum", r.checksumType, r.checksum);
      if (r.openChecksum != null) {
        checksum(out, "open-checksum", r.checksumType, r.openChecksum);
      }
      if (r.headerChecksum != null) {
        checksum(out, "header-checksum", r.checksumType, r.headerChecksum);
      }
      out.append("    <location href=\"").append(escape(r.location)).append("\"/>\n");
      out.append("    <timestamp>").append(r.timestamp).append("</timestamp>\n");
      out.append("    <size>").append(r.size).append("</size>\n");
      if (r.openSize >= 0) {
        out.append("    <open-size>").append(r.openSize).append("</open-size>\n");
      }
      if (r.headerSize >= 0) {
        out.append("    <header-size>").append(r.headerSize).append("</header-size>\n");
      }
      if (r.databaseVersion != null) {
        out.append("    <database_version>")
            .append(escape(r.databaseVersion))
            .append("</database_version>\n");
      }
      out.append("  </data>\n");
    }
    out.append("</repomd>\n");
    return out.toString();
  }

  private static void checksum(StringBuilder out, String element, String type, String value) {
    out.append("    <").append(element).append(" type=\"").append(escape(type)).append("\">");
    out.append(escape(value)).append("</").append(element).append(">\n");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static final class Handler extends DefaultHandler {
    String revision = "";
    final List<Record> records = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private String type;
    private String checksumType;
    private String checksum;
    private String openChecksum;
    private String headerChecksum;
    private String location;
    private long timestamp;
    private long size;
    private long openSize;
    private long headerSize;
    private String databaseVersion;

    @Override
    public void startElement(String uri, String local, String qName, Attributes a) {
      text.setLength(0);
      switch (local) {
        case "data" -> {
          type = a.getValue("type");
          checksumType = null;
          checksum = openChecksum = headerChecksum = location = databaseVersion = null;
          timestamp = size = 0;
          openSize = headerSize = -1;
        }
        case "checksum" -> checksumType = a.getValue("type");
        case "location" -> location = a.getValue("href");
        default -> {}
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      text.append(ch, start, length);
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      String value = text.toString().trim();
      text.setLength(0);
      switch (local) {
        case "revision" -> revision = value;
        case "checksum" -> checksum = value;
        case "open-checksum" -> openChecksum = value;
        case "header-checksum" -> headerChecksum = value;
        case "timestamp" -> timestamp = parse(value);
        case "size" -> size = parse(value);
        case "open-size" -> openSize = parse(value);
        case "header-size" -> headerSize = parse(value);
        case "database_version" -> databaseVersion = value;
        case "data" -> {
          if (type != null && location != null) {
            records.add(
                new Record(
                    type,
                    checksumType,
                    checksum,
                    openChecksum,
                    location,
                    timestamp,
                    size,
                    openSize,
                    headerChecksum,
                    headerSize,
                    databaseVersion));
          }
        }
        default -> {}
      }
    }

    private static long parse(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}
