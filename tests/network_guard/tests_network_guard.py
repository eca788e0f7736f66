"""No test may reach the network: sockets may connect to this machine only (127.0.0.1, ::1,
Unix sockets). Installed in the test process by the `no_network` fixture of tests/conftest.py
and in every process the tests start by sitecustomize.py next to this file."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable
from typing import Any

LOG_VARIABLE = "KYR_TEST_NETWORK_LOG"


class NetworkBlocked(ConnectionRefusedError):
    """A test tried to connect outside this machine."""


def is_local(address: Any) -> bool:
    if not isinstance(address, tuple):  # a Unix socket's path
        return True
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:  # a name: it would be resolved elsewhere first; refuse it here
        return False


def guarded(real: Callable[..., Any], blocked: Callable[[str], None]) -> Callable[..., Any]:
    def connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address):
            blocked(str(address[0]))
            raise NetworkBlocked(f"tests may not connect to {address[0]} (only 127.0.0.1)")
        return real(sock, address)

    return connect


def log_to_file(host: str) -> None:
    path = os.environ.get(LOG_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(host + "\n")


def install(blocked: Callable[[str], None] = log_to_file) -> dict[str, Any]:
    """Patch socket.socket.connect and connect_ex; returns the originals, to undo it."""
    originals = {"connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex}
    for name, real in originals.items():
        setattr(socket.socket, name, guarded(real, blocked))
    return originals
