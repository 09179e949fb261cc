"""MultithreadIterator: threads read examples ahead of training (for I/O-bound datasets)."""
import concurrent.futures

from dchain.iterators._prefetch import PrefetchIterator


class MultithreadIterator(PrefetchIterator):
    """Iterator whose examples are read by a pool of threads, one batch ahead.

    Suits datasets whose reads wait on I/O (files, decompression in C code that releases the
    GIL). The iteration state behaves as in :class:`SerialIterator`.

    Args:
        dataset, batch_size, repeat, shuffle, order_sampler: As in :class:`SerialIterator`.
        n_threads (int): Worker threads.
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, n_threads=1,
                 order_sampler=None):
        if n_threads < 1:
            raise ValueError('n_threads must be >= 1, got {!r}'.format(n_threads))
        self.n_threads = n_threads
        self._executor = None
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler, 1, n_threads)

    def _fetch(self, indices):
        dataset = self.dataset
        return [dataset[i] for i in indices]

    def _submit(self, chunks):
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(self.n_threads)
        return [self._executor.submit(self._fetch, chunk) for chunk in chunks]

    def _collect(self, handle):
        return [future.result() for future in handle]

    def _cancel(self, handle):
        for future in handle:
            future.cancel()

    def finalize(self):
        """Stop the worker threads (safe to call more than once)."""
        executor, self._executor = self._executor, None
        self._discard_pending()
        if executor is not None:
            executor.shutdown(wait=True)
