"""snapshot and snapshot_object: save the trainer (or any serializable object) during training.

A snapshot written by the default writer is an npz file (as ``save_npz`` writes) that also
holds a SHA-256 checksum of its arrays under ``_snapshot/sha256``. It is written atomically.
With ``autoload=True`` the newest snapshot in ``trainer.out`` is loaded when training starts;
a snapshot that fails its checksum or cannot be read is skipped, with a warning, in favour of
the newest good one.
"""
import hashlib
import os
import re
import string
import warnings

import numpy

from dchain import serializer as serializer_module
from dchain.serializers import _atomic
from dchain.serializers import npz as npz_module
from dchain.training import extension

_CHECKSUM_KEY = '_snapshot/sha256'


def _checksum(arrays):
    digest = hashlib.sha256()
    for key in sorted(arrays):
        if key == _CHECKSUM_KEY:
            continue
        array = numpy.ascontiguousarray(arrays[key])
        digest.update(key.encode('utf-8'))
        digest.update(array.dtype.str.encode('ascii'))
        digest.update(repr(array.shape).encode('ascii'))
        if array.dtype.kind == 'U':
            digest.update(str(array.tolist()).encode('utf-8'))
        else:
            digest.update(array.tobytes())
    return digest.hexdigest()


def save_snapshot(path, target, compression=True):
    """Write ``target`` to ``path`` as a checksummed npz file, atomically."""
    serializer = npz_module.DictionarySerializer()
    serializer.save(target)
    arrays = serializer.target
    arrays[_CHECKSUM_KEY] = numpy.asarray(_checksum(arrays))
    savez = numpy.savez_compressed if compression else numpy.savez
    with _atomic.atomic_write(path) as f:
        savez(f, **arrays)


def read_snapshot(path):
    """Read every array of the snapshot at ``path`` and verify its checksum.

    Returns the dict of arrays. Raises :class:`dchain.serializer.SerializedFileError` when
    the file cannot be read or the checksum does not match. Files without a checksum (written
    by ``save_npz``) are accepted as they are.
    """
    try:
        with numpy.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except FileNotFoundError:
        raise
    except npz_module._READ_ERRORS as e:
        raise serializer_module.SerializedFileError(
            'cannot read snapshot {!r}: {}: {}'.format(path, type(e).__name__, e)) from e
    stored = arrays.pop(_CHECKSUM_KEY, None)
    if stored is not None and str(stored) != _checksum(arrays):
        raise serializer_module.SerializedFileError(
            'snapshot {!r} fails its checksum: the file is corrupted'.format(path))
    return arrays


def load_snapshot(path, target):
    """Load ``target`` in place from a snapshot file, after verifying the whole file."""
    arrays = read_snapshot(path)
    npz_module.NpzDeserializer(arrays, filename=repr(path)).load(target)


def _template_regex(template):
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append('(.+)')
    return re.compile(''.join(parts) + r'\Z')


def _natural_key(name):
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r'(\d+)', name)]


def find_snapshots(template, directory):
    """Paths of the files in ``directory`` that ``template`` could have named, newest first."""
    if not os.path.isdir(directory):
        return []
    regex = _template_regex(template)
    found = []
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if regex.match(name) and os.path.isfile(path):
            found.append((os.stat(path).st_mtime_ns, _natural_key(name), path))
    found.sort(reverse=True)
    return [path for _, _, path in found]


class _Snapshot(extension.Extension):
    """The extension :func:`snapshot` and :func:`snapshot_object` return."""

    trigger = 1, 'epoch'
    priority = -100
    default_name = 'snapshot'

    def __init__(self, target=None, condition=None, writer=None,
                 filename='snapshot_iter_{.updater.iteration}', snapshot_on_error=False,
                 n_retains=-1, autoload=False, savefun=None):
        if not isinstance(filename, str) and autoload:
            raise ValueError('autoload needs filename to be a template string')
        self._target = target
        self.filename = filename
        self.condition = condition if condition is not None else (lambda: True)
        self.writer = writer
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload
        self._savefun = savefun

    def _resolve_target(self, trainer):
        return trainer if self._target is None else self._target

    def initialize(self, trainer):
        if not self.autoload:
            return
        target = self._resolve_target(trainer)
        problems = []
        for path in find_snapshots(self.filename, trainer.out):
            try:
                arrays = read_snapshot(path)
            except serializer_module.SerializedFileError as e:
                problems.append(str(e))
                continue
            if problems:
                warnings.warn('{}; resuming from the older snapshot {!r} instead'.format(
                    '; '.join(problems), path), RuntimeWarning, stacklevel=2)
            npz_module.NpzDeserializer(arrays, filename=repr(path)).load(target)
            return path
        if problems:
            raise serializer_module.SerializedFileError(
                'autoload found snapshots in {!r} but none can be loaded: {}'.format(
                    trainer.out, '; '.join(problems)))
        return None

    def on_error(self, trainer, exc, tb):
        if self._snapshot_on_error:
            self._make_snapshot(trainer)

    def __call__(self, trainer):
        if self.condition():
            self._make_snapshot(trainer)

    def _make_snapshot(self, trainer):
        target = self._resolve_target(trainer)
        filename = self.filename
        if callable(filename):
            filename = filename(trainer)
        else:
            filename = filename.format(trainer)
        if self.writer is not None:
            self.writer(filename, trainer.out, target)
            return
        path = os.path.join(trainer.out, filename)
        if self._savefun is None:
            save_snapshot(path, target)
        else:
            with _atomic.atomic_path(path) as tmp:
                self._savefun(tmp, target)
        if self.n_retains > 0 and isinstance(self.filename, str):
            for old in find_snapshots(self.filename, trainer.out)[self.n_retains:]:
                if os.path.abspath(old) != os.path.abspath(path):
                    os.remove(old)


def snapshot(savefun=None, filename='snapshot_iter_{.updater.iteration}', *, target=None,
             condition=None, writer=None, snapshot_on_error=False, n_retains=-1,
             autoload=False):
    """Extension saving the trainer (or ``target``) every epoch by default.

    Args:
        savefun: ``savefun(path, target)``; the default writes a checksummed npz file.
        filename (str): name template, formatted with the trainer (``'{.updater.epoch}'``).
        target: the object to save; the trainer when None.
        condition: a callable; the snapshot is taken only when it returns True.
        writer: ``writer(filename, out_dir, target)`` to delegate the writing entirely.
        snapshot_on_error (bool): also save when the training loop raises.
        n_retains (int): keep only this many newest snapshots (all when <= 0).
        autoload (bool): load the newest good snapshot when training starts.
    """
    return _Snapshot(target=target, condition=condition, writer=writer, filename=filename,
                     snapshot_on_error=snapshot_on_error, n_retains=n_retains,
                     autoload=autoload, savefun=savefun)


def snapshot_object(target, filename, savefun=None, **kwargs):
    """Extension saving ``target`` (a link, an optimizer ...) every epoch by default.

    ``filename`` is formatted with the trainer, as in :func:`snapshot`; the other keyword
    arguments are those of :func:`snapshot`.
    """
    return snapshot(savefun=savefun, filename=filename, target=target, **kwargs)
