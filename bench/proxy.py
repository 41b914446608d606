"""A small round-robin HTTP proxy, for proving that app servers share nothing but the database
and Redis: each request goes to the next backend, on a fresh connection, so every session
is served by all of them in turn. It runs in a process of its own, as a real balancer would,
so it does not share an interpreter lock with the load generator. Not for production (no
streaming, one request per client connection: it answers `Connection: close`)."""

from __future__ import annotations

import itertools
import multiprocessing
import socket
import socketserver
import threading
from types import TracebackType

MAX_HEADER_BYTES = 64 * 1024


def _read_request(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEADER_BYTES:
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name in (b"connection", b"keep-alive", b"proxy-connection"):
            continue
        kept.append(line)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


class RoundRobinProxy:
    """`with RoundRobinProxy([port_a, port_b]) as url:`; `counts` tells how many requests each
    backend got."""

    def __init__(self, backends: list[int], port: int = 0) -> None:
        self.backends = backends
        self._counts = multiprocessing.get_context("fork").Array("q", len(backends))
        self._next = itertools.cycle(range(len(backends)))
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                request = _read_request(self.request)
                if request is None:
                    return
                with proxy._lock:
                    index = next(proxy._next)
                with proxy._counts.get_lock():
                    proxy._counts[index] += 1
                with socket.create_connection(("127.0.0.1", proxy.backends[index]), 60) as up:
                    up.sendall(request)
                    while chunk := up.recv(65536):
                        self.request.sendall(chunk)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def counts(self) -> list[int]:
        return [int(n) for n in self._counts[:]]

    def __enter__(self) -> str:
        # Forked: the child serves the socket bound here, before any load thread starts.
        self._process = multiprocessing.get_context("fork").Process(
            target=self.server.serve_forever, daemon=True
        )
        self._process.start()
        return self.url

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join(10)
        self.server.server_close()
