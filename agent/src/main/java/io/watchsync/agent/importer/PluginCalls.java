package io.watchsync.agent.importer;

/**
 * What a sersync plugin did after each change, in words, for the not-carried-over list. The CDN
 * plugin's password is never read: the URL shows {@code pswd=…} in its place.
 */
final class PluginCalls {
  private PluginCalls() {}

  static String describe(String name, XmlElement definition) {
    XmlElement localpath = definition.child("localpath");
    switch (name) {
      case "refreshCDN":
        return localpath == null ? "refreshed a CDN" : refreshCdn(localpath);
      case "command":
        XmlElement param = definition.child("param");
        String prefix = param == null ? "" : param.attribute("prefix").strip();
        String suffix = param == null ? "" : param.attribute("suffix").strip();
        return "ran \"" + (prefix + " FILE " + suffix).strip() + "\"";
      case "socket":
        XmlElement host = localpath == null ? null : localpath.child("deshost");
        return host == null
            ? "sent each changed path over TCP"
            : "sent each changed path over TCP to "
                + host.attribute("ip")
                + ":"
                + host.attribute("port");
      default:
        return "ran its \"" + name + "\" plugin";
    }
  }

  /** sersync sends an HTTP HEAD to the CDN's purge page, naming the changed URL. */
  private static String refreshCdn(XmlElement localpath) {
    XmlElement cdn = localpath.child("cdninfo");
    XmlElement sendurl = localpath.child("sendurl");
    XmlElement regexurl = localpath.child("regexurl");
    String domain = cdn == null ? "CDN" : cdn.attribute("domainname");
    String port = cdn == null ? "" : cdn.attribute("port").strip();
    String user = cdn == null ? "" : cdn.attribute("username");
    String base = sendurl == null ? "" : sendurl.attribute("base");
    boolean regex = regexurl != null && regexurl.attribute("regex").equals("true");
    String path = regex ? "MATCH" : "/PATH";
    String url =
        "http://"
            + domain
            + (port.isEmpty() || port.equals("80") ? "" : ":" + port)
            + "/index.jsp?user="
            + user
            + "&pswd=…&ok=ok&urls="
            + base
            + path;
    String where =
        regex
            ? " (MATCH: the first group of \""
                + regexurl.attribute("match")
                + "\" in the changed path and what follows it"
            : " (PATH: the changed file below " + localpath.attribute("watch").strip();
    return "called " + url + where + "; dirs=…/ instead of urls= for a directory)";
  }
}
