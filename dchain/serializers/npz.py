"""NumPy ``.npz`` serialization: DictionarySerializer, NpzDeserializer, save_npz, load_npz."""
import os
import zipfile
import zlib

import numpy

from dchain import serializer as serializer_module
from dchain.serializers import _atomic
from dchain.serializers import _base


class DictionarySerializer(serializer_module.Serializer):
    """Serializer that fills a flat dict ``{'path/to/key': host array}``.

    Arrays already on the host are stored by reference, not copied (so saving is cheap); write
    the dict out (or copy it) before the object changes. ``None`` values are not stored.

    Args:
        target (dict): the dict to fill (a new one when None).
        path (str): prefix of the keys written.
    """

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return DictionarySerializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        if value is not None:
            self.target[self.path + key.strip('/')] = _base.to_host_array(value)
        return value


# Everything numpy and zipfile raise on a damaged archive.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, KeyError)


class NpzDeserializer(_base.TreeDeserializer):
    """Deserializer reading an opened npz archive (what ``numpy.load`` returns).

    Args:
        npz: the ``numpy.lib.npyio.NpzFile``.
        path (str): prefix of the keys read, to load a sub-tree.
        strict (bool): a missing key is an error.
        ignore_names: names or predicates of keys not to load.
        filename: shown in error messages.
    """

    def __init__(self, npz, path='', strict=True, ignore_names=None, filename=None, _rel=''):
        super().__init__(path, strict, ignore_names, filename, _rel)
        self.npz = npz

    def _child(self, rel):
        return NpzDeserializer(self.npz, self._prefix, self.strict, self.ignore_names,
                               self.filename, rel)

    def _contains(self, key):
        return key in self.npz

    def _read(self, key):
        try:
            return self.npz[key]
        except ValueError as e:
            if self._is_pickled(key):
                if self._header(key)[0] == ():
                    # Chainer writes an uninitialized parameter (None) as a 0-d object array.
                    return None
                raise serializer_module.SerializedFileError(
                    '{!r}{} holds pickled Python objects, which are not loaded (unpickling '
                    'can run arbitrary code)'.format(key, self._where())) from e
            raise self._damaged(key, e) from e
        except _READ_ERRORS as e:
            raise self._damaged(key, e) from e

    def _header(self, key):
        with self.npz.zip.open(key + '.npy') as f:
            version = numpy.lib.format.read_magic(f)
            read_header = numpy.lib.format.read_array_header_1_0 if version == (1, 0) else \
                numpy.lib.format.read_array_header_2_0
            shape, _, dtype = read_header(f)
        return shape, dtype

    def _is_pickled(self, key):
        try:
            return self._header(key)[1].hasobject
        except Exception:  # an unreadable header is reported as damage by the caller
            return False

    def _damaged(self, key, e):
        return serializer_module.SerializedFileError(
            'cannot read {!r} from the npz file{}: the file is corrupted or truncated '
            '({}: {})'.format(key, self._where(), type(e).__name__, e))


def save_npz(file, obj, compression=True):
    """Save ``obj`` (a Link, an Optimizer, a Trainer ...) to an npz file.

    A path is written atomically: a crash leaves the previous file (if any) intact.

    Args:
        file: path or writable binary file object.
        obj: object with a ``serialize`` method.
        compression (bool): deflate the arrays.
    """
    serializer = DictionarySerializer()
    serializer.save(obj)
    savez = numpy.savez_compressed if compression else numpy.savez
    if hasattr(file, 'write'):
        savez(file, **serializer.target)
        return
    with _atomic.atomic_write(file) as f:
        savez(f, **serializer.target)


def load_npz(file, obj, path='', strict=True, ignore_names=None):
    """Load ``obj`` in place from an npz file written by :func:`save_npz`.

    Args:
        file: path or readable binary file object.
        obj: object with a ``serialize`` method.
        path (str): load the sub-tree under this prefix (e.g. ``'updater/model:main/'`` to take
            the model out of a trainer snapshot).
        strict (bool): every key the object asks for must be in the file.
        ignore_names: a name, a predicate, or a list of them: keys not to load.

    Raises:
        KeyError: (strict) a key is missing.
        ValueError: an array in the file has another shape than the object's.
        dchain.serializer.SerializedFileError: the file is truncated, corrupted, or not npz.
    """
    filename = os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else \
        getattr(file, 'name', repr(file))
    try:
        npz = numpy.load(file, allow_pickle=False)
    except FileNotFoundError:
        raise
    except _READ_ERRORS as e:
        raise serializer_module.SerializedFileError(
            'cannot open {!r} as an npz file: it is corrupted, truncated or of another format '
            '({}: {})'.format(filename, type(e).__name__, e)) from e
    if not isinstance(npz, numpy.lib.npyio.NpzFile):
        raise serializer_module.SerializedFileError(
            '{!r} is a single .npy array, not an npz archive'.format(filename))
    with npz:
        NpzDeserializer(npz, path=path, strict=strict, ignore_names=ignore_names,
                        filename=repr(filename)).load(obj)
