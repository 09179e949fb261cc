"""HDF5 serialization (needs h5py: ``pip install 'dchain[hdf5]'``)."""
import os

import numpy

from dchain import serializer as serializer_module
from dchain.serializers import _atomic
from dchain.serializers import _base

try:
    import h5py
except ImportError:  # optional dependency; every entry point says so when it is missing
    h5py = None


def _check_h5py():
    if h5py is None:
        raise RuntimeError("HDF5 serialization needs h5py, which is not installed; install the "
                           "'hdf5' extra: pip install 'dchain[hdf5]'")


class HDF5Serializer(serializer_module.Serializer):
    """Serializer writing into an open ``h5py`` group (children become sub-groups).

    Args:
        group: ``h5py.File`` or ``h5py.Group``.
        compression (int): gzip level for arrays of more than one element (0-9, None for none).
    """

    def __init__(self, group, compression=4):
        _check_h5py()
        self.group = group
        self.compression = compression

    def __getitem__(self, key):
        return HDF5Serializer(self.group.require_group(key.strip('/')), self.compression)

    def __call__(self, key, value):
        if value is None:
            return value
        key = key.strip('/')
        data = _base.to_host_array(value)
        if data.dtype.kind == 'U':
            data = data.item() if data.ndim == 0 else data.astype(h5py.string_dtype())
        compression = self.compression if getattr(data, 'size', 1) > 1 else None
        if key in self.group:
            del self.group[key]
        self.group.create_dataset(key, data=data, compression=compression)
        return value


class HDF5Deserializer(_base.TreeDeserializer):
    """Deserializer reading an open ``h5py`` file or group.

    Args:
        group: ``h5py.File`` or ``h5py.Group``.
        path (str): prefix of the keys read, to load a sub-tree.
        strict (bool): a missing key is an error.
        ignore_names: names or predicates of keys not to load.
        filename: shown in error messages.
    """

    def __init__(self, group, path='', strict=True, ignore_names=None, filename=None, _rel=''):
        _check_h5py()
        super().__init__(path, strict, ignore_names, filename, _rel)
        self.group = group

    def _child(self, rel):
        return HDF5Deserializer(self.group, self._prefix, self.strict, self.ignore_names,
                                self.filename, rel)

    def _contains(self, key):
        try:
            return isinstance(self.group.get(key), h5py.Dataset)
        except (OSError, RuntimeError, ValueError) as e:
            raise self._damaged(key, e) from e

    def _read(self, key):
        try:
            return numpy.asarray(self.group[key][()])
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            raise self._damaged(key, e) from e

    def _damaged(self, key, error):
        return serializer_module.SerializedFileError(
            'cannot read {!r} from the HDF5 file{}: the file is corrupted or truncated '
            '({}: {})'.format(key, self._where(), type(error).__name__, error))


def save_hdf5(filename, obj, compression=4):
    """Save ``obj`` to an HDF5 file, atomically (a crash leaves any previous file intact).

    Args:
        filename (str): destination path.
        obj: object with a ``serialize`` method.
        compression (int): gzip level (0-9) or None.
    """
    _check_h5py()
    with _atomic.atomic_path(filename) as tmp:
        with h5py.File(tmp, 'w') as f:
            HDF5Serializer(f, compression=compression).save(obj)


def load_hdf5(filename, obj, path='', strict=True, ignore_names=None):
    """Load ``obj`` in place from an HDF5 file written by :func:`save_hdf5`.

    Arguments and errors are those of :func:`dchain.serializers.load_npz`.
    """
    _check_h5py()
    name = os.fspath(filename)
    if not os.path.exists(name):
        raise FileNotFoundError('no such file: {!r}'.format(name))
    try:
        f = h5py.File(name, 'r')
    except OSError as e:
        raise serializer_module.SerializedFileError(
            'cannot open {!r} as an HDF5 file: it is corrupted, truncated or of another format '
            '({})'.format(name, e)) from e
    with f:
        HDF5Deserializer(f, path=path, strict=strict, ignore_names=ignore_names,
                         filename=repr(name)).load(obj)
