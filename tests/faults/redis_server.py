"""A Redis server of the test's own, on a spare port, to pause, kill and bring back.

Never the Redis the rest of the suite (or CI's services) use: stopping that one would
break everything else running on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.server import free_port


def available() -> bool:
    return shutil.which("redis-server") is not None


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _signal(self, sig: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, sig)

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    @contextmanager
    def paused(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def kill(self) -> None:
        """Pull the plug: everything it held is lost (it keeps nothing on disk)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a stopped process must wake to die
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def get(self, key: str) -> bytes | None:
        """GET through a bare socket: the test reads what Redis holds, not what we think."""
        command = f"*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(command)
            reply = b""
            while b"\r\n" not in reply:
                reply += sock.recv(4096)
            header, _, rest = reply.partition(b"\r\n")
            if header == b"$-1":
                return None
            length = int(header[1:])
            while len(rest) < length + 2:
                rest += sock.recv(4096)
            return rest[:length]


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.kill()
