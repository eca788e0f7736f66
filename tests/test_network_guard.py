"""The tests' network guard (tests/conftest.py, tests/network_guard/): a connection outside
this machine is refused, in the test process and in the processes the tests start."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NETWORK_GUARD
from tests.network_guard.tests_network_guard import LOG_VARIABLE, NetworkBlocked, is_local


def test_only_this_machine_counts_as_local() -> None:
    assert is_local(("127.0.0.1", 80)) and is_local(("::1", 80, 0, 0))
    assert is_local(("localhost", 80)) and is_local("/tmp/a-unix-socket")
    assert not is_local(("149.154.167.220", 443))  # api.telegram.org
    assert not is_local(("api.telegram.org", 443))


def test_a_connection_outside_is_refused_and_fails_the_test(no_network: list[str]) -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: would go nowhere anyway
    assert no_network == ["192.0.2.1"]
    no_network.clear()  # this test wanted it; any other test with an attempt fails


def test_a_process_the_tests_start_is_guarded_too(tmp_path: Path) -> None:
    attempts = tmp_path / "attempts.txt"
    code = ("import socket\ntry:\n    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
            "except ConnectionRefusedError as e:\n    print(type(e).__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(NETWORK_GUARD), LOG_VARIABLE: str(attempts)})
    assert done.stdout.strip() == "NetworkBlocked", done.stderr
    assert attempts.read_text().split() == ["192.0.2.1"]
