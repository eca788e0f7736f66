"""Line-oriented standard input and output for `match` and `chat`, whatever arrives.

Python decodes stdin with the locale's encoding, strictly: with PYTHONIOENCODING=utf-8 (or a
UTF-8 locale) one invalid byte raises UnicodeDecodeError and kills the command mid-file. Here
stdin is read as bytes, split on b"\\n" only, and each line decoded as UTF-8 with replacement
characters, so every input line gets exactly one answer. A reader that closes the pipe early
(`| head`) ends the command quietly instead of with a BrokenPipeError traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO


def input_lines(stream: BinaryIO) -> Iterator[str]:
    """Each line of `stream`, decoded as UTF-8 (bad bytes become U+FFFD), without its end."""
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").removesuffix("\n").removesuffix("\r")


def tolerant_stdout() -> None:
    """Characters the terminal's encoding cannot show become '?' rather than an exception."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]


def silence_closed_stdout() -> None:
    """After a BrokenPipeError: point stdout at /dev/null so that Python's final flush at exit
    does not raise (and print) the same error again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
