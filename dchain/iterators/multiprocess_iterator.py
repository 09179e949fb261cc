"""MultiprocessIterator: worker processes read (and transform) examples ahead of training."""
import multiprocessing
import os
import signal
import warnings

import numpy

from dchain.iterators._prefetch import PrefetchIterator

_worker_dataset = None


def _init_worker(dataset):
    global _worker_dataset
    _worker_dataset = dataset
    # Ctrl-C is for the main process, which then terminates the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked workers would otherwise share one random stream (same augmentations).
    numpy.random.seed(int.from_bytes(os.urandom(4), 'little'))


def _fetch(indices):
    dataset = _worker_dataset
    return [dataset[i] for i in indices]


def _context():
    # fork shares the dataset with the workers without pickling it (and works for datasets
    # holding lambdas); elsewhere the dataset must be picklable.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context('fork' if 'fork' in methods else None)


class MultiprocessIterator(PrefetchIterator):
    """Iterator whose examples are read by a pool of worker processes, batches ahead.

    Each batch is split across the workers; ``n_prefetch`` batches are kept in flight so that
    reading and transforming examples (e.g. :class:`~dchain.datasets.TransformDataset`
    augmentation) overlaps with training. The iteration state behaves as in
    :class:`SerialIterator` (same attributes, ``reset``, ``serialize``).

    The workers start at the first ``next()`` and stop at :meth:`finalize`, which a ``with``
    block calls on exit (also on an exception); they are reaped, never left as zombies.

    Args:
        dataset, batch_size, repeat, shuffle, order_sampler: As in :class:`SerialIterator`.
        n_processes (int): Worker processes (default: the number of CPUs).
        n_prefetch (int): Batches read ahead.
        shared_mem (int): Accepted for Chainer compatibility; examples travel to the main
            process through the pool's pipes (pickled), whatever its value.
        dataset_timeout (float): Seconds after which a slow batch triggers a warning (the
            wait goes on). ``None`` disables the warning.
        maxtasksperchild (int): Replace a worker after this many tasks (``None``: never).
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, n_processes=None,
                 n_prefetch=1, shared_mem=None, order_sampler=None, dataset_timeout=30.0,
                 maxtasksperchild=None):
        self.n_processes = n_processes or os.cpu_count() or 1
        if self.n_processes < 1:
            raise ValueError('n_processes must be >= 1, got {!r}'.format(n_processes))
        self.shared_mem = shared_mem
        self.dataset_timeout = dataset_timeout
        self.maxtasksperchild = maxtasksperchild
        self._pool = None
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler, n_prefetch,
                         self.n_processes)

    def _get_pool(self):
        if self._pool is None:
            self._pool = _context().Pool(self.n_processes, initializer=_init_worker,
                                         initargs=(self.dataset,),
                                         maxtasksperchild=self.maxtasksperchild)
        return self._pool

    def _submit(self, chunks):
        return self._get_pool().map_async(_fetch, chunks, chunksize=1)

    def _collect(self, handle):
        if self.dataset_timeout is None:
            return handle.get()
        while True:
            try:
                return handle.get(self.dataset_timeout)
            except multiprocessing.TimeoutError:
                warnings.warn('MultiprocessIterator: a batch has not arrived after {} s; still '
                              'waiting (a slow dataset, or a worker that died, e.g. out of '
                              'memory)'.format(self.dataset_timeout), RuntimeWarning)

    def finalize(self):
        """Stop and reap the worker processes (safe to call more than once)."""
        pool, self._pool = self._pool, None
        self._discard_pending()
        if pool is not None:
            pool.terminate()
            pool.join()

    def __del__(self):
        try:
            self.finalize()
        except Exception:
            pass

    def __getstate__(self):
        raise TypeError('a MultiprocessIterator cannot be pickled; save its state with '
                        'serialize() instead')
