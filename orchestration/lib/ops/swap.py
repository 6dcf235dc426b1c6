"""Replace a published folder or file with a new one in a single step, so readers never find it missing
or half-written."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    # Linux renameat2(RENAME_EXCHANGE) swaps two paths atomically; False where the system cannot.
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def replace_folder(new: Path, published: Path) -> None:
    """Make `new` the folder at `published`; the old one is removed afterwards."""
    if published.exists() and _exchange(new, published):
        shutil.rmtree(new, ignore_errors=True)  # now the old contents
        return
    # First publication, or a file system without the exchange: two renames (a short gap).
    old = published.with_name(published.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if published.exists():
        published.rename(old)
    new.rename(published)
    shutil.rmtree(old, ignore_errors=True)


def replace_file(target: Path, write: Callable[[Path], object]) -> None:
    """`write` a new file beside `target`, then rename it into place; on failure nothing is left behind."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    # mkstemp makes the file private (0600); the published file is as readable as any other the process
    # writes (a web server serves the report's Excel files).
    os.fchmod(handle, 0o666 & ~_umask())
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    # Read, not set and reset: os.umask() changes it for every thread of the process meanwhile.
    with contextlib.suppress(OSError, StopIteration, ValueError):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    return 0o022
