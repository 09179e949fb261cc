"""PickleDataset and PickleDatasetWriter: a file of pickled examples with random access."""
import io
import os
import pickle
import threading

from dchain.dataset.dataset_mixin import DatasetMixin


class PickleDatasetWriter:
    """Append examples to a binary file, one pickle each.

    Args:
        writer: A file object opened for binary writing.
        protocol (int): Pickle protocol.
    """

    def __init__(self, writer, protocol=pickle.HIGHEST_PROTOCOL):
        self._writer = writer
        self._protocol = protocol

    def write(self, x):
        """Append one example."""
        pickle.dump(x, self._writer, protocol=self._protocol)

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class PickleDataset(DatasetMixin):
    """Random access to the examples written by :class:`PickleDatasetWriter`.

    The constructor scans the file once to find where each pickle starts. Reads are
    serialized with a lock; a process forked afterwards reopens the file by name (when the
    reader has one) so it does not share the parent's file offset.

    Args:
        reader: A file object opened for binary reading (seekable).
    """

    def __init__(self, reader):
        if not reader.seekable():
            raise ValueError('PickleDataset needs a seekable file')
        self._reader = reader
        self._name = getattr(reader, 'name', None)
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._positions = []
        unpickler = pickle.Unpickler(reader)
        reader.seek(0)
        while True:
            pos = reader.tell()
            try:
                unpickler.load()
            except EOFError:
                break
            self._positions.append(pos)

    def __len__(self):
        return len(self._positions)

    def _file(self):
        if self._pid != os.getpid() and isinstance(self._name, str):
            self._reader = io.open(self._name, 'rb')
            self._pid = os.getpid()
        return self._reader

    def get_example(self, i):
        if self._pid != os.getpid():
            # Forked while another thread may have held the lock: the child needs its own.
            self._lock = threading.Lock()
        with self._lock:
            f = self._file()
            f.seek(self._positions[i])
            return pickle.load(f)

    def close(self):
        self._reader.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_pickle_dataset(path):
    """Open ``path`` and return a :class:`PickleDataset` reading it."""
    return PickleDataset(io.open(path, 'rb'))


def open_pickle_dataset_writer(path, protocol=pickle.HIGHEST_PROTOCOL):
    """Create ``path`` and return a :class:`PickleDatasetWriter` writing to it."""
    return PickleDatasetWriter(io.open(path, 'wb'), protocol=protocol)
