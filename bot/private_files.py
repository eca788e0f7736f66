"""Files and folders only the bot's own user can read: the state, its copies, the caches.

The state file holds keyed hashes of user ids and the language each person chose; the secret
that keys them sits beside it. Created with the default umask (0644) they would be readable by
every account on the machine, and a copy would show which (known) user ids talk to the bot. So
every file and folder the bot writes is created owner-only (0600 / 0700), and one made wider by
an older version is narrowed when the bot opens it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """`path` as a folder only the owner can enter (created with its parents if missing). A
    folder we do not own (a shared KYR_CACHE_DIR) is left as it is."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty and owner-only if it does not exist, or narrow it to owner-only."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    with contextlib.suppress(OSError):
        os.chmod(path, FILE_MODE)
    return path


def narrow(path: Path) -> None:
    """Make an existing file owner-only; a file that is not there is nothing to narrow."""
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)


def private_tree(root: Path) -> None:
    """Every folder and file under `root` (and `root` itself) owner-only: a copied folder."""
    narrow(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            narrow(Path(folder) / name)
