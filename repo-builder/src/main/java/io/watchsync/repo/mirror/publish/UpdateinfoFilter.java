package io.watchsync.repo.mirror.publish;

import io.watchsync.repo.mirror.upstream.MetadataStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLEventFactory;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.XMLEvent;

/**
 * Writes one updateinfo.xml from the upstreams' ones, keeping of each advisory only the packages
 * the mirror holds (by file name) and only the advisories left with a package. Streamed, one
 * advisory in memory at a time: an EL updateinfo is tens of megabytes.
 */
final class UpdateinfoFilter {
  private UpdateinfoFilter() {}

  static void write(List<Path> sources, Set<String> mirrored, OutputStream out) throws IOException {
    try {
      XMLEventFactory events = XMLEventFactory.newDefaultFactory();
      XMLEventWriter w = XMLOutputFactory.newDefaultFactory().createXMLEventWriter(out, "UTF-8");
      w.add(events.createStartDocument("UTF-8", "1.0"));
      w.add(events.createCharacters("\n"));
      w.add(events.createStartElement("", "", "updates"));
      w.add(events.createCharacters("\n"));
      for (Path source : sources) {
        try (InputStream in = MetadataStreams.open(source)) {
          copyAdvisories(factory().createXMLEventReader(in), mirrored, w);
        }
      }
      w.add(events.createEndElement("", "", "updates"));
      w.add(events.createCharacters("\n"));
      w.add(events.createEndDocument());
      w.flush();
    } catch (XMLStreamException e) {
      throw new IOException("updateinfo: " + e.getMessage(), e);
    }
  }

  private static void copyAdvisories(XMLEventReader r, Set<String> mirrored, XMLEventWriter w)
      throws XMLStreamException {
    int depth = 0;
    List<XMLEvent> update = null;
    List<XMLEvent> pkg = null;
    StringBuilder filename = null;
    String pkgFile = null;
    int kept = 0;
    while (r.hasNext()) {
      XMLEvent e = r.nextEvent();
      if (e.isStartElement()) {
        depth++;
        String local = e.asStartElement().getName().getLocalPart();
        if (depth == 2 && local.equals("update")) {
          update = new ArrayList<>();
          kept = 0;
        } else if (update != null && local.equals("package")) {
          pkg = new ArrayList<>();
          pkgFile = null;
        } else if (pkg != null && local.equals("filename")) {
          filename = new StringBuilder();
        }
      } else if (e.isCharacters() && filename != null) {
        filename.append(e.asCharacters().getData());
      }
      if (pkg != null) {
        pkg.add(e);
      } else if (update != null) {
        update.add(e);
      }
      if (e.isEndElement()) {
        String local = e.asEndElement().getName().getLocalPart();
        if (filename != null && local.equals("filename")) {
          pkgFile = filename.toString().strip();
          filename = null;
        } else if (pkg != null && local.equals("package")) {
          if (pkgFile != null && mirrored.contains(pkgFile)) {
            update.addAll(pkg);
            kept++;
          }
          pkg = null;
        } else if (update != null && depth == 2 && local.equals("update")) {
          if (kept > 0) {
            for (XMLEvent u : update) {
              w.add(u);
            }
            w.add(XMLEventFactory.newDefaultFactory().createCharacters("\n"));
          }
          update = null;
        }
        depth--;
      }
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }
}
