"""The one way partnerbook writes a file: whole or not at all, never through a planted link.

Every file the package writes (site downloads, generated pages, exports, imported data
files, caches) goes through `write_file`. A file is written to a temporary file created
exclusively in the target's own folder (`tempfile.mkstemp`: a link planted under a
predictable temporary name cannot redirect it), then renamed over the target, which
replaces a name and never follows it. Before that, the target must be a regular file or
absent (a symbolic link, a folder or a device there is refused, not followed or replaced)
and, when the caller names the folder the write belongs in, the target's real folder must
lie inside that folder's real path: a linked sub-folder cannot carry a write outside.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

Content = str | bytes | Callable[[Path], None]


class UnsafeWrite(OSError):
    """A write refused because of what is at, or on the way to, the target."""

    def __init__(self, target: Path, reason: str):
        super().__init__(reason)
        self.filename = str(target)
        self.strerror = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def check_target(target: Path, inside: Path | None = None) -> None:
    """Raise UnsafeWrite when `target` is not a regular file or absent, or when its folder
    (once links are resolved) is not `inside` or under it."""
    _check_file(target)
    if inside is not None:
        _check_folder(target, inside)


def _check_file(target: Path) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        what = ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode)
                else "not a regular file")
        raise UnsafeWrite(target, f"is {what}; partnerbook writes only regular files and does not follow links "
                                  "(remove it, or write elsewhere)")


def _check_folder(target: Path, inside: Path) -> None:
    folder = target.parent.resolve()
    root = inside.resolve()
    if folder != root and not folder.is_relative_to(root):
        raise UnsafeWrite(target, f"leads outside {inside} (through a linked folder: {folder}); "
                                  "nothing was written there")


def write_file(target: Path, content: Content, *, inside: Path | None = None) -> None:
    """Write `content` (text as UTF-8, bytes, or a function that writes the path it is given)
    to `target` atomically; parent folders are created. Raises OSError (UnsafeWrite for a
    refused target), leaving the target as it was and no temporary file behind."""
    target = Path(target)
    if inside is not None:
        _make_folders(target.parent, inside)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    check_target(target, inside)
    _replace(target, content, lambda: check_target(target, inside))


def _replace(target: Path, content: Content, check_again: Callable[[], None]) -> None:
    """`content` to a temporary file beside `target`, renamed over it once `check_again` passes."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".partnerbook-tmp", dir=target.parent)
    temporary = Path(name)
    try:
        if callable(content):
            os.close(handle)
            handle = -1
            content(temporary)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            with os.fdopen(handle, "wb") as file:
                handle = -1
                file.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; a written file reads like any other
        check_again()  # once more, just before: a link planted meanwhile is refused too
        os.replace(temporary, target)
    except BaseException:
        if handle != -1:
            os.close(handle)
        temporary.unlink(missing_ok=True)
        raise


def _make_folders(folder: Path, inside: Path) -> None:
    """Create `folder` below `inside` one level at a time, refusing a level that is a link
    leading outside before anything is created through it."""
    inside.mkdir(parents=True, exist_ok=True)
    try:
        parts = folder.relative_to(inside).parts
    except ValueError:
        raise UnsafeWrite(folder, f"is not inside {inside}; nothing was written there") from None
    current = inside
    root = inside.resolve()
    for part in parts:
        current = current / part
        real = current.resolve()
        if real != root and not real.is_relative_to(root):
            raise UnsafeWrite(current, f"leads outside {inside} (a link to {real}); nothing was written there")
        current.mkdir(exist_ok=True)


# Read once, at import (the only way to read it changes it for a moment): files get the mode open() gives.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
