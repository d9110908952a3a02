"""Where an export writes: the checks on ``--out``, the partial file beside it, the rename at the end.

An export never writes into ``--out`` itself. Pages go to ``OUT.ddbtui-partial`` (mode 0600, created by
ddbtui, in the same folder), and only a complete export is renamed over ``OUT``: an existing file stays
whole until then, and an interrupted export leaves no half-written ``OUT``. ``--out`` must be a new path
or a regular file (replaced only with ``--overwrite``, or by ``--resume`` of an export that was started
with it); a directory, a device (``/dev/null``, ``/dev/full``), a FIFO or a socket is refused before
anything is opened, so nothing is ever chmodded, truncated or fsync'd but files ddbtui created.

Every failure of the file system (a read-only file system, a permission error, a full disk) becomes one
``ExportFileError`` line naming the path and the cause, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ddbtui.core.errors import UsageError

PARTIAL_SUFFIX = ".ddbtui-partial"

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


class ExportFileError(UsageError):
    """A file the export needs cannot be used or written (one line). ``resumable``: pages were committed
    before it happened, and ``--resume`` goes on from them once the cause is fixed."""

    def __init__(self, message: str, resumable: bool = False) -> None:
        super().__init__(message)
        self.resumable = resumable


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _cause(e: OSError) -> str:
    return e.strerror or str(e)


@contextlib.contextmanager
def file_errors(what: str, resumable: bool = False) -> Iterator[None]:
    """Turn an ``OSError`` inside into one ``ExportFileError`` line: ``{what}: {cause}``."""
    try:
        yield
    except ExportFileError:
        raise
    except OSError as e:
        hint = ""
        if resumable and e.errno in (errno.ENOSPC, errno.EDQUOT):
            hint = "; the pages written so far are kept: free some space, then resume"
        elif resumable:
            hint = "; the pages written so far are kept: once the cause is fixed, resume"
        raise ExportFileError(f"{what}: {_cause(e)}{hint}", resumable=resumable) from None


def check_target(out: Path, *, overwrite: bool, resume: bool) -> None:
    """Refuse ``out`` unless it is a new path in an existing folder or a regular file we may replace."""
    try:
        st = os.stat(out)  # through a symlink: /tmp/x -> /dev/null is a device too
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise ExportFileError(f"cannot write {out}: a part of its folder is not a directory") from None
    except OSError as e:
        raise ExportFileError(f"cannot write {out}: {_cause(e)}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ExportFileError(
                f"{out} is a directory: give --out a file name, e.g. {out / 'export.jsonl'}"
            )
        if not stat.S_ISREG(st.st_mode):
            raise ExportFileError(
                f"{out} is not a regular file ({_kind(st.st_mode)}): export writes only to a regular file "
                "or a new path"
            )
        if not (overwrite or resume):
            raise ExportFileError(
                f"{out} exists: add --overwrite to replace it (it is kept until the export is done)"
            )
    parent = out.parent
    try:
        pst = os.stat(parent)
    except FileNotFoundError:
        return  # created (with its parents) when the export starts, as before
    except OSError as e:
        raise ExportFileError(f"cannot write {out}: {_cause(e)}") from None
    if not stat.S_ISDIR(pst.st_mode):
        raise ExportFileError(f"cannot write {out}: {parent} is not a directory")


def open_partial(path: Path, *, fresh: bool) -> BinaryIO:
    """The partial file, opened for writing. ``fresh``: created anew, 0600 (a leftover regular file of
    an export that never saved its state is replaced); otherwise the existing one, which must be a regular
    file (never followed through a symlink). The caller checks and truncates a resumed file."""
    where = f"cannot write the export's partial file {path}"
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if fresh:
        with file_errors(f"cannot create a file in {path.parent}"):
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode):
                    raise ExportFileError(
                        f"{path} is in the way and is not a regular file ({_kind(st.st_mode)}): remove it"
                    ) from None
                os.unlink(path)  # ddbtui's own name, left by an export killed before its first commit
                fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
            os.fchmod(fd, 0o600)  # a file we just created: the umask may have taken bits away, never added
    else:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            raise ExportFileError(
                f"cannot resume: {path} is gone; delete the state file to start over"
            ) from None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise ExportFileError(
                    f"cannot resume: {path} is a symlink, not the export's own file"
                ) from None
            raise ExportFileError(f"{where}: {_cause(e)}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ExportFileError(f"cannot resume: {path} is not a regular file")
    return os.fdopen(fd, "r+b")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows a directory to be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def put_in_place(done: Path, out: Path) -> None:
    """Rename the finished file over ``out`` (replacing a regular file there), then fsync the folder."""
    with file_errors(f"cannot put the export in place as {out}", resumable=True):
        st = None
        with contextlib.suppress(FileNotFoundError):
            st = os.stat(out)
        if st is not None and not stat.S_ISREG(st.st_mode):  # appeared while the export ran
            raise ExportFileError(
                f"{out} is not a regular file ({_kind(st.st_mode)}): the export is in {done}"
            )
        os.replace(done, out)
    fsync_dir(out.parent)
