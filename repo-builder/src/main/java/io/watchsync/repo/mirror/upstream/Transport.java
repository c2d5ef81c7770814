package io.watchsync.repo.mirror.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens http, https and file URLs of one upstream, from a byte offset on (HTTP Range), with the
 * source's credentials, proxy and TLS settings. A connection that stalls longer than the read
 * timeout fails, so a slow mirror cannot hang a run.
 */
public final class Transport {
  /**
   * What an open returned: the body from {@code offset} on, or from 0 when the server ignored it.
   */
  public record Response(InputStream body, long offset, long length) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A server's refusal: an HTTP status other than 200 or 206, with the URL. */
  public static final class StatusException extends IOException {
    private final int status;

    StatusException(URI uri, int status) {
      super(uri + ": HTTP " + status);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final String authorization;
  private final Proxy proxy;
  private final String proxyAuthorization;
  private final Authenticator proxyLogin;
  private final SSLSocketFactory ssl;
  private final boolean anyHost;
  private final int timeoutMillis;

  public Transport(UpstreamSource source, int timeoutMillis) throws IOException {
    this.authorization =
        source.username() == null ? null : basic(source.username(), source.password());
    this.proxy =
        source.proxy() == null
            ? Proxy.NO_PROXY
            : new Proxy(
                Proxy.Type.HTTP,
                new InetSocketAddress(
                    source.proxy().getHost(),
                    source.proxy().getPort() < 0 ? 3128 : source.proxy().getPort()));
    this.proxyAuthorization =
        source.proxyUsername() == null
            ? null
            : basic(source.proxyUsername(), source.proxyPassword());
    this.proxyLogin =
        source.proxyUsername() == null
            ? null
            : new ProxyLogin(source.proxyUsername(), source.proxyPassword());
    this.ssl =
        source.sslcacert() == null && source.sslclientcert() == null && source.sslverify()
            ? null
            : TlsSettings.socketFactory(
                source.sslcacert(),
                source.sslclientcert(),
                source.sslclientkey(),
                source.sslverify());
    this.anyHost = !source.sslverify();
    this.timeoutMillis = timeoutMillis;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
  }

  /** Answers a proxy's request for credentials, and nobody else's. */
  private static final class ProxyLogin extends Authenticator {
    private final String user;
    private final char[] password;

    ProxyLogin(String user, String password) {
      this.user = user;
      this.password = password == null ? new char[0] : password.toCharArray();
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      return getRequestorType() == RequestorType.PROXY
          ? new PasswordAuthentication(user, password.clone())
          : null;
    }
  }

  /**
   * Opens {@code uri} from byte {@code offset} on, following up to five redirects, also from http
   * to https (which the JDK does not follow by itself, and which mirrors often answer).
   */
  public Response open(URI uri, long offset) throws IOException {
    URI current = uri;
    for (int hops = 0; ; hops++) {
      try {
        return openOnce(current, offset);
      } catch (Redirect r) {
        if (hops >= 5) {
          throw new IOException(uri + ": more than 5 redirects");
        }
        current = current.resolve(r.location);
      }
    }
  }

  /** A 3xx answer with a Location to try instead. */
  private static final class Redirect extends IOException {
    final String location;

    Redirect(String location) {
      super("redirect to " + location);
      this.location = location;
    }
  }

  private Response openOnce(URI uri, long offset) throws IOException {
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      Path path = Path.of(uri);
      if (!Files.isRegularFile(path)) {
        throw new NoSuchFileException(path.toString());
      }
      long size = Files.size(path);
      InputStream in = Files.newInputStream(path);
      long start = Math.min(offset, size);
      in.skipNBytes(start);
      return new Response(in, start, size - start);
    }
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(proxy);
    c.setConnectTimeout(timeoutMillis);
    c.setReadTimeout(timeoutMillis);
    c.setInstanceFollowRedirects(true);
    c.setRequestProperty("User-Agent", "repo-builder-mirror");
    c.setRequestProperty("Accept-Encoding", "identity");
    if (authorization != null) {
      c.setRequestProperty("Authorization", authorization);
    }
    if (proxyAuthorization != null) {
      // Sent with each request to an http proxy; a tunnel to https asks the authenticator.
      c.setRequestProperty("Proxy-Authorization", proxyAuthorization);
      c.setAuthenticator(proxyLogin);
    }
    if (c instanceof HttpsURLConnection https) {
      if (ssl != null) {
        https.setSSLSocketFactory(ssl);
      }
      if (anyHost) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    if (offset > 0) {
      c.setRequestProperty("Range", "bytes=" + offset + "-");
    }
    int status = c.getResponseCode();
    if (status == 206 && offset > 0) {
      return new Response(c.getInputStream(), offset, c.getContentLengthLong());
    }
    if (status == 200) {
      return new Response(c.getInputStream(), 0, c.getContentLengthLong());
    }
    InputStream error = c.getErrorStream();
    if (error != null) {
      error.close();
    }
    String location = c.getHeaderField("Location");
    if (status >= 300 && status < 400 && location != null) {
      throw new Redirect(location);
    }
    throw new StatusException(uri, status);
  }
}
