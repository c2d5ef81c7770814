#!/usr/bin/env python3
"""Serves a directory over HTTP on 127.0.0.1 with a fixed added latency per request.

Usage: serve.py DIR LATENCY_MS PORT_FILE
Writes the port it listens on to PORT_FILE, then serves until killed.
"""
import functools
import http.server
import sys
import time


class SlowHandler(http.server.SimpleHTTPRequestHandler):
    latency = 0.0

    def do_GET(self):
        time.sleep(self.latency)  # the simulated network round trip
        super().do_GET()

    def log_message(self, *args):
        pass


def main():
    directory, latency_ms, port_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    SlowHandler.latency = latency_ms / 1000.0
    handler = functools.partial(SlowHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
