"""Prefetching base for iterators whose workers read examples while the caller computes."""
import collections

import numpy

from dchain.iterators._statemachine import IndexIterator, advance

_Pending = collections.namedtuple('_Pending', 'handle state previous_epoch_detail')


class PrefetchIterator(IndexIterator):
    """Keeps ``n_prefetch`` batches in flight ahead of the batch the caller consumes.

    Batches are planned with their own look-ahead copy of the iteration state; the public
    state (``epoch``, ``current_position``, ...) moves only when a batch is handed out, so it
    means exactly what it means for :class:`SerialIterator`. Any outside change of the state
    (``reset``, loading a snapshot, assigning ``epoch``/``current_position``) discards the
    planned batches. Subclasses implement ``_submit(chunks)``, ``_collect(handle)`` and
    ``_cancel(handle)``.
    """

    def __init__(self, dataset, batch_size, repeat, shuffle, order_sampler, n_prefetch,
                 n_workers):
        if int(n_prefetch) < 1:
            raise ValueError('n_prefetch must be >= 1, got {!r}'.format(n_prefetch))
        self.n_prefetch = int(n_prefetch)
        self._n_workers = n_workers
        self._pending = collections.deque()
        self._ahead = None
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler)

    def _state_changed(self):
        self._discard_pending()

    def _discard_pending(self):
        pending = getattr(self, '_pending', ())
        for entry in pending:
            self._cancel(entry.handle)
        if pending:
            pending.clear()
        self._ahead = None

    def _chunks(self, indices):
        n = max(1, min(self._n_workers, len(indices)))
        return [c.tolist() for c in numpy.array_split(indices, n)]

    def _fill(self):
        if self._ahead is None:
            self._ahead = (self._position, self._epoch, self._order)
        dataset_len = len(self.dataset)
        while len(self._pending) < self.n_prefetch:
            position, epoch, order = self._ahead
            size = dataset_len if order is None else len(order)
            detail = epoch + (position / size if size else 0.)
            indices, position, epoch, is_new_epoch, order = advance(
                position, epoch, order, self.batch_size, self._repeat, self.order_sampler,
                dataset_len)
            if indices is None:
                break
            self._ahead = (position, epoch, order)
            handle = self._submit(self._chunks(indices))
            self._pending.append(_Pending(handle, (position, epoch, is_new_epoch, order),
                                          detail))

    def __next__(self):
        self._fill()
        if not self._pending:
            raise StopIteration
        entry = self._pending.popleft()
        try:
            parts = self._collect(entry.handle)
        except BaseException:
            # Leave the state before this batch, so that a retry asks for it again.
            self._discard_pending()
            raise
        self._position, self._epoch, self._is_new_epoch, self._order = entry.state
        self._previous_epoch_detail = entry.previous_epoch_detail
        self._fill()  # workers read ahead while the caller uses this batch
        return [example for part in parts for example in part]

    next = __next__

    def _submit(self, chunks):
        raise NotImplementedError

    def _collect(self, handle):
        raise NotImplementedError

    def _cancel(self, handle):
        pass
