"""Atomic file writes: a reader sees either the old file or the complete new one, never a part.

The data goes to a temporary file in the destination's directory (so the final rename stays on
one file system), is flushed and fsync'ed, then ``os.replace`` puts it in place.
"""
import contextlib
import os
import tempfile

# The mode a plain open() would give a new file; mkstemp's 0600 would surprise users.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path):
    """Context manager yielding a temporary path; the file written there replaces ``path``.

    For writers that want a file name rather than a file object (h5py). If the body raises,
    ``path`` is left untouched and the temporary file is removed.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.' + os.path.basename(path) + '.',
                               suffix='.tmp')
    os.close(fd)
    try:
        yield tmp
        with open(tmp, 'rb+') as f:
            os.fsync(f.fileno())
        _publish(tmp, path, directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path, mode='wb'):
    """Context manager yielding a file object whose contents replace ``path`` on success.

    If the body raises, ``path`` is left untouched and the temporary file is removed.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.' + os.path.basename(path) + '.',
                               suffix='.tmp')
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _publish(tmp, path, directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _publish(tmp, path, directory):
    os.chmod(tmp, 0o666 & ~_UMASK)
    os.replace(tmp, path)
    # Make the rename itself durable; not every platform or file system allows it.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
