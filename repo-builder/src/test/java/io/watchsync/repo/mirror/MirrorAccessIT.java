package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TunnelProxy;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstreams that need credentials or trust settings from a .repo file. */
class MirrorAccessIT {
  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
  }

  @Test
  void usernameAndPasswordFromTheRepofileAreSent() throws Exception {
    try (UpstreamServer server = new UpstreamServer()) {
      server.requireBasicAuth("mirror", "s3cret");
      String url = server.mount("up", UpstreamFixture.repository()).toString();
      Path repofile = work.resolve("up.repo");
      Files.writeString(
          repofile,
          "[up]\nbaseurl=" + url + "\nusername=mirror\npassword=s3cret\n",
          StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");
      assertEquals(0, run.exit(), run.toString());

      RepoBuilder refused =
          RepoBuilder.run(
              "mirror", "--to=" + work.resolve("m2"), "--repo=up=" + url, "--retries=1", "tool");
      assertEquals(1, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("HTTP 401"), refused.err());
    }
  }

  @Test
  void proxyFromTheRepofileCarriesEveryRequest() throws Exception {
    try (UpstreamServer proxy = new UpstreamServer()) {
      // The proxy is given absolute URLs; it serves the upstream's path itself.
      proxy.mount("up", UpstreamFixture.repository());
      Path repofile = work.resolve("proxied.repo");
      Files.writeString(
          repofile,
          "[up]\nbaseurl=http://upstream.invalid/up/\nproxy=http://127.0.0.1:"
              + proxy.url("x").getPort()
              + "\n",
          StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");

      assertEquals(0, run.exit(), run.toString());
      assertTrue(
          proxy.log().stream().anyMatch(r -> r.path().endsWith("tool-1.0-1.noarch.rpm")),
          proxy.log().toString());
    }
  }

  @Test
  void httpsUpstreamIsTrustedThroughSslcacert() throws Exception {
    SSLContext tls = serverTls();
    try (UpstreamServer server = new UpstreamServer(tls)) {
      String url = server.mount("up", UpstreamFixture.repository()).toString();
      Path repofile = work.resolve("tls.repo");
      Files.writeString(
          repofile,
          "[up]\nbaseurl=" + url + "\nsslcacert=" + work.resolve("ca.pem") + "\n",
          StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");
      assertEquals(0, run.exit(), run.toString());

      RepoBuilder untrusted =
          RepoBuilder.run(
              "mirror", "--to=" + work.resolve("m2"), "--repo=up=" + url, "--retries=1", "tool");
      assertEquals(1, untrusted.exit(), untrusted.toString());
    }
  }

  @Test
  void sslverifyOffAcceptsAServerNoCertificateAuthorityVouchesFor() throws Exception {
    SSLContext tls = serverTls();
    try (UpstreamServer server = new UpstreamServer(tls)) {
      String url = server.mount("up", UpstreamFixture.repository()).toString();
      Path repofile = work.resolve("noverify.repo");
      Files.writeString(
          repofile, "[up]\nbaseurl=" + url + "\nsslverify=0\n", StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");

      assertEquals(0, run.exit(), run.toString());
      assertTrue(server.log().stream().anyMatch(r -> r.path().endsWith("tool-1.0-1.noarch.rpm")));
    }
  }

  @Test
  void proxyCredentialsFromTheRepofileAreSentToTheProxy() throws Exception {
    try (UpstreamServer proxy = new UpstreamServer()) {
      proxy.mount("up", UpstreamFixture.repository());
      proxy.requireProxyAuth("relay", "p4ss");
      String section =
          "[up]\nbaseurl=http://upstream.invalid/up/\nproxy=http://127.0.0.1:"
              + proxy.url("x").getPort()
              + "\n";
      Path withLogin = work.resolve("login.repo");
      Files.writeString(
          withLogin,
          section + "proxy_username=relay\nproxy_password=p4ss\n",
          StandardCharsets.UTF_8);
      Path without = work.resolve("nologin.repo");
      Files.writeString(without, section, StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + withLogin, "tool");
      assertEquals(0, run.exit(), run.toString());

      RepoBuilder refused =
          RepoBuilder.run(
              "mirror",
              "--to=" + work.resolve("m2"),
              "--repofile=" + without,
              "--retries=1",
              "tool");
      assertEquals(1, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("HTTP 407"), refused.err());
    }
  }

  /**
   * An https upstream behind a proxy that wants a login, as a corporate proxy in front of a
   * distribution's CDN: the credentials go with the CONNECT that opens the tunnel. Run as the
   * command runs, in a JVM of its own: the Java runtime reads its tunnelling rules once.
   */
  @Test
  void proxyCredentialsOpenATunnelToAnHttpsUpstream() throws Exception {
    SSLContext tls = serverTls();
    try (UpstreamServer server = new UpstreamServer(tls);
        TunnelProxy proxy = new TunnelProxy("relay", "p4ss")) {
      String url = server.mount("up", UpstreamFixture.repository()).toString();
      Path repofile = work.resolve("tunnel.repo");
      Files.writeString(
          repofile,
          "[up]\nbaseurl="
              + url
              + "\nsslcacert="
              + work.resolve("ca.pem")
              + "\nproxy=http://127.0.0.1:"
              + proxy.port()
              + "\nproxy_username=relay\nproxy_password=p4ss\n",
          StandardCharsets.UTF_8);
      Command run =
          Command.run(
              MirrorTestSupport.DEADLINE,
              RepoBuilder.inOwnJvm(
                  List.of(
                      "mirror",
                      "--to=" + work.resolve("m"),
                      "--repofile=" + repofile,
                      "--retries=1",
                      "tool")));

      assertEquals(0, run.exit(), run.out() + run.err());
      assertTrue(proxy.tunnels() > 0, "no tunnel opened; 407 answers: " + proxy.refused());
      assertTrue(server.log().stream().anyMatch(r -> r.path().endsWith("tool-1.0-1.noarch.rpm")));
      assertTrue(Files.isRegularFile(work.resolve("m/repodata/repomd.xml")));
    }
  }

  @Test
  void excludeAndIncludepkgsOfTheRepofileHidePackagesAsDnfDoes() throws Exception {
    try (UpstreamServer server = new UpstreamServer()) {
      String url = server.mount("up", UpstreamFixture.repository()).toString();
      Path excluding = work.resolve("exclude.repo");
      Files.writeString(
          excluding, "[up]\nbaseurl=" + url + "\nexclude=libfoo-2.*\n", StandardCharsets.UTF_8);
      Path older = work.resolve("older");
      RepoBuilder run =
          RepoBuilder.run(
              "mirror", "--to=" + older, "--repofile=" + excluding, "--no-weak-deps", "libfoo");
      assertEquals(0, run.exit(), run.toString());
      assertEquals(
          java.util.Set.of("libfoo-1.0-1.noarch.rpm"),
          MirrorTestSupport.rpms(older.resolve("Packages")));

      Path including = work.resolve("include.repo");
      Files.writeString(
          including,
          "[up]\nbaseurl=" + url + "\nincludepkgs=tool, libfoo\nexcludepkgs=libfoo\n",
          StandardCharsets.UTF_8);
      Path onlyTool = work.resolve("only-tool");
      run =
          RepoBuilder.run(
              "mirror",
              "--to=" + onlyTool,
              "--repofile=" + including,
              "--no-weak-deps",
              "tool",
              "app");
      assertEquals(1, run.exit(), run.toString());
      assertTrue(run.err().contains("no package matches app"), run.err());
      assertEquals(
          java.util.Set.of("tool-1.0-1.noarch.rpm"),
          MirrorTestSupport.rpms(onlyTool.resolve("Packages")));
    }
  }

  @Test
  void redirectFromHttpToHttpsIsFollowed() throws Exception {
    SSLContext tls = serverTls();
    try (UpstreamServer secure = new UpstreamServer(tls);
        UpstreamServer plain = new UpstreamServer()) {
      URI moved = plain.redirect("old", secure.mount("up", UpstreamFixture.repository()));
      Path repofile = work.resolve("moved.repo");
      Files.writeString(
          repofile,
          "[up]\nbaseurl=" + moved + "\nsslcacert=" + work.resolve("ca.pem") + "\n",
          StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");

      assertEquals(0, run.exit(), run.toString());
      assertTrue(plain.log().stream().anyMatch(r -> r.path().endsWith("tool-1.0-1.noarch.rpm")));
      assertTrue(secure.log().stream().anyMatch(r -> r.path().endsWith("tool-1.0-1.noarch.rpm")));
    }
  }

  @Test
  void clientCertificateFromTheRepofileIsPresented() throws Exception {
    assumeTrue(Command.available("openssl"), "openssl is not installed");
    Path client = keyPair("client");
    Path clientCert = exportCertificate(client, "client.pem");
    Path clientKey = work.resolve("client.key");
    Command.run(
            MirrorTestSupport.DEADLINE,
            "openssl",
            "pkcs12",
            "-in",
            client.toString(),
            "-passin",
            "pass:changeit",
            "-nocerts",
            "-nodes",
            "-out",
            clientKey.toString())
        .ok("openssl pkcs12");
    Path server = keyPair("server");
    exportCertificate(server, "ca.pem");
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(clientCert)) {
      trusted.setCertificateEntry(
          "client",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers(server), trust.getTrustManagers(), null);

    try (UpstreamServer https = new UpstreamServer(tls, true)) {
      String url = https.mount("up", UpstreamFixture.repository()).toString();
      Path repofile = work.resolve("client.repo");
      String common = "[up]\nbaseurl=" + url + "\nsslcacert=" + work.resolve("ca.pem") + "\n";
      Files.writeString(
          repofile,
          common + "sslclientcert=" + clientCert + "\nsslclientkey=" + clientKey + "\n",
          StandardCharsets.UTF_8);

      RepoBuilder run =
          RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");
      assertEquals(0, run.exit(), run.toString());

      Files.writeString(repofile, common, StandardCharsets.UTF_8);
      RepoBuilder refused =
          RepoBuilder.run(
              "mirror",
              "--to=" + work.resolve("m2"),
              "--repofile=" + repofile,
              "--retries=1",
              "tool");
      assertEquals(1, refused.exit(), "no client certificate: " + refused);
    }
  }

  /** A key pair with a certificate for 127.0.0.1, in NAME.p12 (password changeit). */
  private Path keyPair(String name) throws Exception {
    String keytool = javaTool("keytool");
    assumeTrue(keytool != null, "this Java runtime has no keytool");
    Path keystore = work.resolve(name + ".p12");
    Command.run(
            MirrorTestSupport.DEADLINE,
            keytool,
            "-genkeypair",
            "-keystore",
            keystore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-alias",
            name,
            "-keyalg",
            "EC",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "SAN=IP:127.0.0.1",
            "-validity",
            "2")
        .ok("keytool -genkeypair");
    return keystore;
  }

  private Path exportCertificate(Path keystore, String pemName) throws Exception {
    Path pem = work.resolve(pemName);
    String alias = keystore.getFileName().toString().replace(".p12", "");
    Command.run(
            MirrorTestSupport.DEADLINE,
            javaTool("keytool"),
            "-exportcert",
            "-rfc",
            "-keystore",
            keystore.toString(),
            "-storepass",
            "changeit",
            "-alias",
            alias,
            "-file",
            pem.toString())
        .ok("keytool -exportcert");
    return pem;
  }

  private static javax.net.ssl.KeyManager[] keyManagers(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    return keys.getKeyManagers();
  }

  /**
   * A server certificate for 127.0.0.1 made with the runtime's keytool; its certificate is written
   * to ca.pem in the test's directory, for sslcacert.
   */
  private SSLContext serverTls() throws Exception {
    Path server = keyPair("server");
    exportCertificate(server, "ca.pem");
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers(server), null, null);
    return tls;
  }

  private static String javaTool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(tool) ? tool.toString() : null;
  }
}
