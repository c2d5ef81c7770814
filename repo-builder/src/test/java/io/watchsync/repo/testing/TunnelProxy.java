package io.watchsync.repo.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 that only tunnels (CONNECT), as a proxy in front of an https upstream
 * does, and asks for basic proxy authentication first: 407 until a CONNECT carries the credentials
 * it was given, then "200 Connection established" and the bytes relayed both ways.
 */
public final class TunnelProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String expected;
  private final AtomicInteger tunnels = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;

  public TunnelProxy(String user, String password) throws IOException {
    expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "tunnel-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Tunnels opened with the right credentials. */
  public int tunnels() {
    return tunnels.get();
  }

  /** CONNECT requests answered with 407. */
  public int refused() {
    return refused.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        remember(client);
        Thread t = new Thread(() -> serve(client), "tunnel-proxy-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        List<String> request = readHead(in);
        if (request.isEmpty()) {
          client.close();
          return;
        }
        String[] line = request.get(0).split(" ");
        if (line.length < 2 || !line[0].equals("CONNECT")) {
          reply(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
          continue;
        }
        String authorization = header(request, "Proxy-Authorization");
        if (!expected.equals(authorization)) {
          refused.incrementAndGet();
          reply(
              out,
              "HTTP/1.1 407 Proxy Authentication Required\r\n"
                  + "Proxy-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\n\r\n");
          continue;
        }
        String[] hostPort = line[1].split(":");
        Socket upstream = new Socket();
        remember(upstream);
        upstream.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        tunnels.incrementAndGet();
        reply(out, "HTTP/1.1 200 Connection established\r\n\r\n");
        Thread up = relay(in, upstream.getOutputStream(), upstream);
        relay(upstream.getInputStream(), out, client).join();
        up.join();
        return;
      }
    } catch (IOException | InterruptedException e) {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static Thread relay(InputStream from, OutputStream to, Socket closeWhenDone) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
              } catch (IOException ignored) {
                // the other side went away
              } finally {
                try {
                  closeWhenDone.close();
                } catch (IOException ignored) {
                  // closing anyway
                }
              }
            },
            "tunnel-proxy-relay");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The request line and headers, up to the empty line; empty at the end of the stream. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII).replaceFirst("\r$", "");
        line.reset();
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
      } else {
        line.write(b);
      }
    }
    return List.of();
  }

  private static String header(List<String> request, String name) {
    for (String h : request.subList(1, request.size())) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private synchronized void remember(Socket s) {
    open.add(s);
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
