package io.watchsync.repo.mirror.model;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The groups of a comps file, by id and by name: the packages {@code dnf group install} takes
 * (mandatory and default ones; optional and conditional ones only on request).
 */
public final class CompsGroups {
  private final Map<String, List<String>> byKey = new LinkedHashMap<>();

  /** The package names of group {@code key} (an id or a name, case-insensitive), or null. */
  public List<String> packages(String key) {
    return byKey.get(key.toLowerCase(Locale.ROOT));
  }

  /** Adds the groups of one comps document. */
  public void read(InputStream in) throws XMLStreamException {
    XMLStreamReader r = PrimaryParser.factory().createXMLStreamReader(in);
    try {
      String id = null;
      String name = null;
      List<String> packages = null;
      String reqType = null;
      int depth = 0;
      int groupDepth = -1;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String local = r.getLocalName();
          if (local.equals("group")) {
            id = null;
            name = null;
            packages = new ArrayList<>();
            groupDepth = depth;
          } else if (packages != null && depth == groupDepth + 1 && local.equals("id")) {
            id = r.getElementText().strip();
            depth--;
          } else if (packages != null
              && depth == groupDepth + 1
              && local.equals("name")
              && r.getAttributeValue("http://www.w3.org/XML/1998/namespace", "lang") == null) {
            name = r.getElementText().strip();
            depth--;
          } else if (packages != null && local.equals("packagereq")) {
            reqType = r.getAttributeValue(null, "type");
            String pkg = r.getElementText().strip();
            depth--;
            if (reqType == null || reqType.equals("mandatory") || reqType.equals("default")) {
              packages.add(pkg);
            }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (r.getLocalName().equals("group") && packages != null) {
            List<String> list = List.copyOf(packages);
            if (id != null) {
              byKey.putIfAbsent(id.toLowerCase(Locale.ROOT), list);
            }
            if (name != null) {
              byKey.putIfAbsent(name.toLowerCase(Locale.ROOT), list);
            }
            packages = null;
          }
          depth--;
        }
      }
    } finally {
      r.close();
    }
  }
}
