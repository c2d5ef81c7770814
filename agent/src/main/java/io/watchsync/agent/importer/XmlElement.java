package io.watchsync.agent.importer;

import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigFileBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * One element of a small XML file, with the line it starts on so that problems can be reported
 * where they are. Read with a SAX parser that refuses DTDs, so no entity is ever expanded or
 * fetched.
 */
record XmlElement(
    String name, Map<String, String> attributes, List<XmlElement> children, int line) {
  /** The attribute's value, or {@code ""} when it is absent (as sersync's parser returns). */
  String attribute(String key) {
    return attributes.getOrDefault(key, "");
  }

  /** True when the element exists and says {@code start="true"}, sersync's on switch. */
  boolean started() {
    return attribute("start").equals("true");
  }

  /** The first child of that name, or {@code null}. */
  XmlElement child(String childName) {
    for (XmlElement c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  List<XmlElement> children(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).toList();
  }

  /** Reads {@code file}; every problem is a {@link ConfigException} naming the file and line. */
  static XmlElement read(Path file) throws ConfigException {
    byte[] bytes = ConfigFileBytes.read(file, "a sersync confxml.xml");
    TreeBuilder builder = new TreeBuilder();
    try {
      parser().parse(new java.io.ByteArrayInputStream(bytes), builder);
    } catch (SAXParseException e) {
      String where = e.getLineNumber() > 0 ? file + ":" + e.getLineNumber() : file.toString();
      throw new ConfigException(where + ": not valid XML: " + oneLine(e.getMessage()));
    } catch (SAXException | IOException e) {
      throw new ConfigException(file + ": not valid XML: " + oneLine(e.getMessage()));
    }
    return builder.root;
  }

  private static SAXParser parser() throws SAXException {
    // newDefaultInstance: the JDK's own parser, without a service lookup on the class path.
    SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
    try {
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      return factory.newSAXParser();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's SAX parser supports these features", e);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "syntax error" : s.replaceAll("\\s+", " ").strip();
  }

  /**
   * Builds the element tree; text content is not needed (sersync keeps everything in attributes).
   */
  private static final class TreeBuilder extends DefaultHandler {
    private final Deque<Builder> open = new ArrayDeque<>();
    private Locator locator;
    private XmlElement root;

    private record Builder(
        String name, Map<String, String> attributes, List<XmlElement> children, int line) {}

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes attrs) {
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = 0; i < attrs.getLength(); i++) {
        map.put(attrs.getQName(i), attrs.getValue(i));
      }
      int line = locator == null ? 0 : locator.getLineNumber();
      open.push(new Builder(qName, map, new ArrayList<>(), line));
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      Builder b = open.pop();
      XmlElement e =
          new XmlElement(b.name, Map.copyOf(b.attributes), List.copyOf(b.children), b.line);
      if (open.isEmpty()) {
        root = e;
      } else {
        open.peek().children.add(e);
      }
    }
  }
}
