package io.watchsync.repo.mirror.model;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The groups of a comps file, by id and by name: the packages {@code dnf group install} takes
 * (mandatory and default ones; optional and conditional ones only on request). An environment
 * ({@code ^KEY}) stands for the groups of its grouplist (its optionlist only on request), which may
 * come from another repository's comps.
 */
public final class CompsGroups {
  private final Map<String, List<String>> byKey = new LinkedHashMap<>();
  private final Map<String, List<String>> environments = new LinkedHashMap<>();

  /**
   * The package names of group {@code key} (an id or a name, case-insensitive), or of environment
   * {@code ^key}; null when there is none.
   */
  public List<String> packages(String key) {
    if (!key.startsWith("^")) {
      return byKey.get(key.toLowerCase(Locale.ROOT));
    }
    List<String> groups = environments.get(key.substring(1).toLowerCase(Locale.ROOT));
    if (groups == null) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String group : groups) {
      names.addAll(byKey.getOrDefault(group.toLowerCase(Locale.ROOT), List.of()));
    }
    return List.copyOf(names);
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
      boolean environment = false;
      boolean inGrouplist = false;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String local = r.getLocalName();
          if (local.equals("environment")) {
            id = null;
            name = null;
            packages = new ArrayList<>();
            groupDepth = depth;
            environment = true;
            inGrouplist = false;
          } else if (environment && local.equals("grouplist")) {
            inGrouplist = true;
          } else if (environment && inGrouplist && local.equals("groupid")) {
            packages.add(r.getElementText().strip());
            depth--;
          } else if (local.equals("group")) {
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
          if (r.getLocalName().equals("grouplist")) {
            inGrouplist = false;
          } else if (r.getLocalName().equals("environment") && packages != null) {
            List<String> groups = List.copyOf(packages);
            if (id != null) {
              environments.putIfAbsent(id.toLowerCase(Locale.ROOT), groups);
            }
            if (name != null) {
              environments.putIfAbsent(name.toLowerCase(Locale.ROOT), groups);
            }
            packages = null;
            environment = false;
          } else if (r.getLocalName().equals("group") && packages != null) {
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
