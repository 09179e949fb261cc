"""TextDataset: the lines of one or more parallel text files, read on access."""
import io
import os
import threading

from dchain.dataset.dataset_mixin import DatasetMixin


class TextDataset(DatasetMixin):
    """Dataset whose examples are lines of text files (random access by line number).

    The constructor scans the files once to record where each line starts; an example is
    read from disk when indexed. Lines keep their line terminator, as ``readline`` gives them.

    Args:
        paths (str or list of str): One file (examples are strings) or several files with the
            same number of lines (examples are tuples of their corresponding lines).
        encoding, errors, newline: Passed to :func:`open` (text mode).
        filter_func (callable): ``filter_func(*lines)`` returns whether to keep an example.

    Safe to use from several threads, and from processes forked after construction (each
    process opens its own file handles).
    """

    def __init__(self, paths, encoding=None, errors=None, newline=None, filter_func=None):
        self._single = isinstance(paths, (str, os.PathLike))
        self._paths = [paths] if self._single else list(paths)
        if not self._paths:
            raise ValueError('TextDataset needs at least one path')
        self._open_args = dict(encoding=encoding, errors=errors, newline=newline)
        self._lock = threading.Lock()
        self._handles = None
        self._pid = None
        offsets = [self._scan(p) for p in self._paths]
        counts = [len(o) for o in offsets]
        if len(set(counts)) != 1:
            raise ValueError('TextDataset: files have different numbers of lines: {}'.format(
                dict(zip(map(str, self._paths), counts))))
        rows = list(zip(*offsets))
        if filter_func is not None:
            kept = []
            for row in rows:
                lines = self._read_row(row)
                if filter_func(*lines):
                    kept.append(row)
            rows = kept
        self._rows = rows

    def _open(self, path):
        return io.open(path, 'r', **self._open_args)

    def _scan(self, path):
        positions = []
        with self._open(path) as f:
            while True:
                pos = f.tell()
                if not f.readline():
                    break
                positions.append(pos)
        return positions

    def _files(self):
        pid = os.getpid()
        if self._handles is None or self._pid != pid:
            # After a fork the inherited handles share one file offset with the parent.
            self._handles = [self._open(p) for p in self._paths]
            self._pid = pid
        return self._handles

    def _read_row(self, row):
        if self._pid is not None and self._pid != os.getpid():
            # Forked while another thread may have held the lock: the child needs its own.
            self._lock = threading.Lock()
        with self._lock:
            lines = []
            for f, pos in zip(self._files(), row):
                f.seek(pos)
                lines.append(f.readline())
        return lines

    def __len__(self):
        return len(self._rows)

    def get_example(self, i):
        lines = self._read_row(self._rows[i])
        return lines[0] if self._single else tuple(lines)

    def close(self):
        """Close the open file handles (they are reopened if the dataset is read again)."""
        with self._lock:
            if self._handles is not None and self._pid == os.getpid():
                for f in self._handles:
                    f.close()
            self._handles = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state['_handles'] = None
        state['_lock'] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
