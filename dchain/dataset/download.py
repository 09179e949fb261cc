"""The dataset cache: where datasets live on disk, verified downloads and atomic writes.

The root is ``$DCHAIN_DATASET_ROOT`` (read at each call), else ``~/.dchain/dataset``; each
dataset has a directory under it. Downloads go to a temporary file in the destination
directory, are checked against a published checksum, and only then renamed into place, so an
interrupted download or conversion never leaves a half-written file where a reader looks.
"""
import contextlib
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import warnings

_root_override = None

#: Seconds a download waits for the server before giving up (``$DCHAIN_DOWNLOAD_TIMEOUT``).
DEFAULT_TIMEOUT = 10.


class DownloadError(OSError):
    """A dataset file could not be downloaded (no network, server error, bad checksum)."""


def get_dataset_root():
    """Return the root directory of the dataset cache."""
    if _root_override is not None:
        return _root_override
    env = os.environ.get('DCHAIN_DATASET_ROOT')
    if env:
        return os.path.expanduser(env)
    return os.path.join(os.path.expanduser('~'), '.dchain', 'dataset')


def set_dataset_root(path):
    """Use ``path`` as the dataset root for this process (``None`` restores the default)."""
    global _root_override
    _root_override = None if path is None else os.path.expanduser(path)


def get_dataset_directory(dataset_name, create_directory=True):
    """Return ``<root>/<dataset_name>``, creating it unless ``create_directory`` is false."""
    path = os.path.join(get_dataset_root(), dataset_name)
    if create_directory:
        os.makedirs(path, exist_ok=True)
    return path


def file_checksum(path, algorithm='md5'):
    """Hex digest of a file's contents (read in blocks)."""
    digest = hashlib.new(algorithm)
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; rename it to ``path`` if the block succeeds.

    The temporary name keeps ``path``'s extension (``numpy.savez`` appends ``.npz``
    otherwise). On error the temporary file is removed and ``path`` is left untouched.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1]
    fd, tmp = tempfile.mkstemp(prefix='.' + base + '.', suffix='.tmp' + ext, dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _timeout(timeout):
    if timeout is not None:
        return timeout
    return float(os.environ.get('DCHAIN_DOWNLOAD_TIMEOUT', DEFAULT_TIMEOUT))


def download_file(url, path, md5=None, sha256=None, timeout=None):
    """Download ``url`` to ``path`` atomically, verifying the checksum if one is given.

    Raises:
        DownloadError: the server could not be reached or answered with an error, or the
            downloaded bytes do not match the checksum (the file is then not kept).
    """
    with atomic_path(path) as tmp:
        try:
            with urllib.request.urlopen(url, timeout=_timeout(timeout)) as response, \
                    open(tmp, 'wb') as out:
                shutil.copyfileobj(response, out, 1 << 20)
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, 'reason', e)
            raise DownloadError('could not download {}: {}'.format(url, reason)) from e
        for algorithm, expected in (('md5', md5), ('sha256', sha256)):
            if expected is not None:
                actual = file_checksum(tmp, algorithm)
                if actual != expected.lower():
                    raise DownloadError(
                        'downloaded {} but its {} is {}, expected {}; the file was discarded '
                        '(a corrupted transfer or a changed file on the server)'.format(
                            url, algorithm, actual, expected))
    return path


def cached_download(url, md5=None, sha256=None, path=None, timeout=None):
    """Return a local path holding the contents of ``url``, downloading it only once.

    Args:
        url (str): Where the file is published.
        md5, sha256 (str): Expected checksum of the download (verified when given).
        path (str): Where to keep the file; by default ``<root>/_dl_cache/<md5 of url>``.
        timeout (float): Seconds to wait for the server (default ``$DCHAIN_DOWNLOAD_TIMEOUT``
            or 10).
    """
    if path is None:
        key = hashlib.md5(url.encode('utf-8')).hexdigest()
        path = os.path.join(get_dataset_directory('_dl_cache'), key)
    if os.path.exists(path):
        return path
    try:
        return download_file(url, path, md5=md5, sha256=sha256, timeout=timeout)
    except DownloadError as e:
        raise DownloadError('{}.\nTo work offline, fetch {} by other means and save it as {}'
                            .format(e, url, path)) from e


def cache_or_load_file(path, creator, loader):
    """Load ``path`` with ``loader(path)``, or make it with ``creator(tmp_path)`` first.

    ``creator`` writes the file at the temporary path it is given and returns the loaded
    content; the file is renamed to ``path`` only once complete.
    """
    if os.path.exists(path):
        return loader(path)
    with atomic_path(path) as tmp:
        content = creator(tmp)
    return content


def fetch_raw_files(dataset_name, files, timeout=None):
    """Make sure a dataset's published files are in ``<root>/<dataset_name>/raw/``.

    Args:
        dataset_name (str): Directory name under the dataset root.
        files (list): ``(filename, url, md5)`` triples.

    Returns:
        dict mapping each filename to its local path.

    Missing files are downloaded and verified. Files already present (for example placed by
    hand) are trusted but checked: a checksum mismatch only warns, so that a differently
    packaged copy of the same data can still be used. When a download fails, the error lists
    every missing file with its URL and the exact path to put it at.
    """
    raw_dir = os.path.join(get_dataset_directory(dataset_name), 'raw')
    paths = {name: os.path.join(raw_dir, name) for name, _, _ in files}
    missing = [(name, url, md5) for name, url, md5 in files if not os.path.exists(paths[name])]
    for name, url, md5 in missing:
        try:
            download_file(url, paths[name], md5=md5, timeout=timeout)
        except DownloadError as e:
            still_missing = [f for f in missing if not os.path.exists(paths[f[0]])]
            lines = ['  {}\n    -> {}'.format(u, paths[n]) for n, u, _ in still_missing]
            raise DownloadError(
                '{}.\nThe {} dataset needs these files; without network access, download them '
                'elsewhere and copy each one to the path shown (or set DCHAIN_DATASET_ROOT to a '
                'directory that has {}/raw/ with them):\n{}'.format(
                    e, dataset_name, dataset_name, '\n'.join(lines))) from e
    return paths


def warn_on_checksum_mismatch(paths, files):
    """Warn about present raw files whose md5 differs from the published one."""
    for name, _, md5 in files:
        if md5 is None:
            continue
        actual = file_checksum(paths[name], 'md5')
        if actual != md5:
            warnings.warn('{} has md5 {}, not the published {}; using it anyway'.format(
                paths[name], actual, md5), RuntimeWarning, stacklevel=3)
