"""Multi-node checkpoints: every rank saves its own state; all ranks load the same iteration.

``create_multi_node_checkpointer(name, comm)`` returns an extension that writes
``<path>/<name>.iter_<iteration>.rank_<rank>.npz`` (atomically, checksummed, keeping the
newest ``n_retains``). ``maybe_load(trainer)`` makes the ranks agree on the newest iteration
for which *every* rank has a readable checkpoint, and loads it on all of them.
"""
import os
import re
import warnings

from dchain import serializer as serializer_module
from dchain.training import extension
from dchain.training.extensions import _snapshot


class _MultiNodeCheckpointer(extension.Extension):
    trigger = 1, 'epoch'
    priority = extension.PRIORITY_READER

    def __init__(self, name, comm, cp_interval=5, gc_interval=5, path=None, n_retains=2):
        self.name = name
        self.comm = comm
        self.cp_interval = cp_interval
        self.gc_interval = gc_interval
        self.path = path
        self.n_retains = n_retains
        self._pattern = re.compile(r'^{}\.iter_(\d+)\.rank_{}\.npz$'.format(
            re.escape(name), comm.rank))

    @property
    def default_name(self):
        return 'multi_node_checkpointer'

    def _directory(self, trainer):
        return self.path or trainer.out

    def _file(self, directory, iteration):
        return os.path.join(directory, '{}.iter_{}.rank_{}.npz'.format(
            self.name, iteration, self.comm.rank))

    def _local_iterations(self, directory):
        if not os.path.isdir(directory):
            return []
        found = []
        for entry in os.listdir(directory):
            match = self._pattern.match(entry)
            if match:
                found.append(int(match.group(1)))
        return sorted(found)

    def __call__(self, trainer):
        directory = self._directory(trainer)
        os.makedirs(directory, exist_ok=True)
        iteration = trainer.updater.iteration
        _snapshot.save_snapshot(self._file(directory, iteration), trainer)
        for old in self._local_iterations(directory)[:-self.n_retains]:
            try:
                os.remove(self._file(directory, old))
            except FileNotFoundError:
                pass

    def maybe_load(self, trainer, optimizer=None, path=None):
        """Load the newest iteration that every rank has; returns it (None if there is none).

        A rank whose file for that iteration is unreadable makes all ranks fall back to the
        next newer-common iteration (with a warning).
        """
        directory = path or self._directory(trainer)
        candidates = set(self._local_iterations(directory))
        everyone = self.comm.allgather_obj(sorted(candidates))
        common = set(everyone[0]).intersection(*map(set, everyone[1:]))
        for iteration in sorted(common, reverse=True):
            ok = True
            try:
                arrays = _snapshot.read_snapshot(self._file(directory, iteration))
            except (OSError, serializer_module.SerializedFileError) as e:
                warnings.warn('checkpoint of iteration {} unreadable on rank {}: {}'.format(
                    iteration, self.comm.rank, e))
                ok = False
            if all(self.comm.allgather_obj(ok)):
                from dchain.serializers import npz as npz_module
                npz_module.NpzDeserializer(arrays).load(trainer)
                return iteration
            warnings.warn('not every rank can read the checkpoint of iteration {}; trying an '
                          'older one'.format(iteration))
        return None

    def get_stats(self):
        return {'rank': self.comm.rank, 'name': self.name}


def create_multi_node_checkpointer(name, comm, cp_interval=5, gc_interval=5, path=None,
                                   n_retains=2):
    """A checkpointing extension for data-parallel jobs (see the module docstring)."""
    return _MultiNodeCheckpointer(name, comm, cp_interval, gc_interval, path, n_retains)
