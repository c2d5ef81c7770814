package io.watchsync.repo.mirror.model;

import java.io.InputStream;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams filelists.xml, reporting only the files someone asked for: a repository's full file list
 * is far larger than its primary metadata, and a closure needs a handful of paths from it.
 */
public final class FilelistsParser {
  private FilelistsParser() {}

  /** Calls {@code sink} with (pkgid, path) for each listed file that is in {@code wanted}. */
  public static void parse(InputStream in, Set<String> wanted, BiConsumer<String, String> sink)
      throws XMLStreamException {
    XMLStreamReader r = PrimaryParser.factory().createXMLStreamReader(in);
    try {
      String pkgid = null;
      while (r.hasNext()) {
        if (r.next() != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        switch (r.getLocalName()) {
          case "package" -> pkgid = r.getAttributeValue(null, "pkgid");
          case "file" -> {
            String path = r.getElementText();
            if (wanted.contains(path)) {
              sink.accept(pkgid, path);
            }
          }
          default -> {}
        }
      }
    } finally {
      r.close();
    }
  }
}
