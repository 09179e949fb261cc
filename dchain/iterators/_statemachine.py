"""Position bookkeeping shared by all index-based iterators (serial, multiprocess, thread)."""
import numbers

import numpy

from dchain.dataset.iterator import Iterator
from dchain.iterators.order_samplers import ShuffleOrderSampler


def advance(position, epoch, order, batch_size, repeat, order_sampler, dataset_len):
    """Compute the next batch's indices and the state after it.

    Returns ``(indices, position, epoch, is_new_epoch, order)``; ``indices`` is ``None`` when a
    non-repeating iterator has finished its single epoch.
    """
    if not repeat and epoch > 0:
        return None, position, epoch, False, order
    size = dataset_len if order is None else len(order)
    if size == 0:
        if repeat:
            raise ValueError('the dataset is empty: an iterator that repeats needs at least one '
                             'example')
        return None, 0, epoch + 1, True, order
    start = position
    chunks = []
    needed = batch_size
    is_new_epoch = False
    while needed > 0:
        take = min(needed, size - position)
        chunks.append(numpy.arange(position, position + take) if order is None
                      else order[position:position + take])
        position += take
        needed -= take
        if position == size:
            epoch += 1
            is_new_epoch = True
            position = 0
            if not repeat:
                break
            if order is not None:
                new_order = order_sampler(order, start)
                if len(new_order) != len(order):
                    raise ValueError('the order sampler returned an order of length {}, the '
                                     'previous one had {}'.format(len(new_order), len(order)))
                order = new_order
    indices = chunks[0] if len(chunks) == 1 else numpy.concatenate(chunks)
    return indices, position, epoch, is_new_epoch, order


class IndexIterator(Iterator):
    """Common state of iterators that walk a dataset by index in (optionally sampled) order.

    ``epoch``, ``current_position`` and ``is_new_epoch`` are assignable: setting
    ``epoch = 0``, ``current_position = 0`` and ``is_new_epoch = False`` rewinds the iterator
    as :meth:`reset` does (hand-written loops in Chainer's tutorials rely on this).
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, order_sampler=None):
        if (not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool)
                or batch_size <= 0):
            raise ValueError('batch_size must be a positive int, got {!r}'.format(batch_size))
        if shuffle is not None and order_sampler is not None:
            raise ValueError('give either shuffle or order_sampler, not both (shuffle must be '
                             'None when a custom order_sampler is set)')
        if order_sampler is None and (shuffle is None or shuffle):
            order_sampler = ShuffleOrderSampler()
        self.dataset = dataset
        self.batch_size = batch_size
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = order_sampler
        self.reset()

    # -- state -----------------------------------------------------------------------------
    def reset(self):
        """Rewind to the start of epoch 0 (with a freshly sampled order)."""
        order = None
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        self._set_state(0, 0, False, order, -1.)

    def _set_state(self, position, epoch, is_new_epoch, order, previous_epoch_detail):
        self._position = position
        self._epoch = epoch
        self._is_new_epoch = is_new_epoch
        self._order = order
        self._previous_epoch_detail = previous_epoch_detail
        self._state_changed()

    def _state_changed(self):
        """Hook for prefetching iterators: the state was set from outside the iteration."""

    def _assigned(self):
        if self._epoch == 0 and self._position == 0:
            self._previous_epoch_detail = -1.
        self._state_changed()

    @property
    def epoch(self):
        return self._epoch

    @epoch.setter
    def epoch(self, value):
        self._epoch = value
        self._assigned()

    @property
    def current_position(self):
        return self._position

    @current_position.setter
    def current_position(self, value):
        self._position = value
        self._assigned()

    @property
    def is_new_epoch(self):
        return self._is_new_epoch

    @is_new_epoch.setter
    def is_new_epoch(self, value):
        self._is_new_epoch = value
        self._assigned()

    @property
    def repeat(self):
        return self._repeat

    @property
    def _epoch_size(self):
        return len(self.dataset) if self._order is None else len(self._order)

    @property
    def epoch_detail(self):
        """Epochs done so far, as a float (``epoch + position / epoch size``)."""
        size = self._epoch_size
        return self._epoch + (self._position / size if size else 0.)

    @property
    def previous_epoch_detail(self):
        """``epoch_detail`` before the last ``next()``; ``None`` before the first one."""
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    def _advance(self):
        """Move the state past one batch and return its indices (``None``: iteration over)."""
        indices, position, epoch, is_new_epoch, order = advance(
            self._position, self._epoch, self._order, self.batch_size, self._repeat,
            self.order_sampler, len(self.dataset))
        if indices is not None or epoch != self._epoch:
            self._previous_epoch_detail = self.epoch_detail
            self._position, self._epoch, self._is_new_epoch, self._order = (
                position, epoch, is_new_epoch, order)
        return indices

    # -- serialization ---------------------------------------------------------------------
    def serialize(self, serializer):
        position = serializer('current_position', self._position)
        epoch = serializer('epoch', self._epoch)
        is_new_epoch = serializer('is_new_epoch', self._is_new_epoch)
        order = self._order
        if order is not None:
            # A copy: a deserializer fills it in place, and batches already planned from the
            # current order must not see it change under them.
            loaded = serializer('order', order.copy())
            if loaded is not None and not numpy.array_equal(loaded, order):
                order = numpy.array(loaded)
        try:
            previous = serializer('previous_epoch_detail', self._previous_epoch_detail)
        except KeyError:
            # A snapshot without it: infer from the position, as one batch back.
            size = len(order) if order is not None else len(self.dataset)
            previous = epoch + (position - self.batch_size) / size if size else -1.
            if previous < 0 and epoch == 0:
                previous = -1.
        state = (int(position), int(epoch), bool(is_new_epoch), order, float(previous))
        unchanged = (state[:3] == (self._position, self._epoch, self._is_new_epoch)
                     and order is self._order and state[4] == self._previous_epoch_detail)
        if not unchanged:  # saving leaves prefetched batches valid; loading drops them
            self._set_state(*state)
