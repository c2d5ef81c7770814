package io.watchsync.repo.mirror.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One upstream repository as a {@code --repo ID=URL} or a section of a {@code .repo} file gives it,
 * with dnf's variables already substituted.
 *
 * @param baseurls tried in turn; empty when only a mirrorlist or metalink is given
 * @param mirrorlist null, or a URL whose text lists one baseurl per line
 * @param metalink null, or a metalink document whose {@code <url>}s end in repodata/repomd.xml
 * @param username null, or HTTP basic authentication with {@code password}
 * @param sslcacert null, or PEM certificates to trust instead of the system's
 * @param sslclientcert null, or a PEM client certificate, with {@code sslclientkey} (PKCS#8 PEM)
 * @param proxy null, or an http://HOST:PORT proxy
 * @param gpgkeys the keys its packages are signed with ({@code gpgkey=}), for {@code --gpgcheck}
 * @param packages which of its packages are seen ({@code includepkgs=}, {@code exclude=})
 * @param sslverify false: any server certificate and host name is accepted ({@code sslverify=0})
 * @param proxyUsername null, or the proxy's basic authentication, with {@code proxyPassword}
 */
public record UpstreamSource(
    String id,
    List<URI> baseurls,
    URI mirrorlist,
    URI metalink,
    String username,
    String password,
    Path sslcacert,
    Path sslclientcert,
    Path sslclientkey,
    URI proxy,
    List<URI> gpgkeys,
    PackageFilter packages,
    boolean sslverify,
    String proxyUsername,
    String proxyPassword) {

  /** A source of one baseurl and nothing else, as {@code --repo ID=URL} gives it. */
  public static UpstreamSource of(String id, URI baseurl) {
    return new UpstreamSource(
        id,
        List.of(baseurl),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        PackageFilter.ALL,
        true,
        null,
        null);
  }

  public UpstreamSource withBaseurls(List<URI> urls) {
    return new UpstreamSource(
        id,
        List.copyOf(urls),
        mirrorlist,
        metalink,
        username,
        password,
        sslcacert,
        sslclientcert,
        sslclientkey,
        proxy,
        gpgkeys,
        packages,
        sslverify,
        proxyUsername,
        proxyPassword);
  }
}
