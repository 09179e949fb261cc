"""SerialIterator: minibatches fetched in the calling thread, in sequential or shuffled order."""
from dchain.iterators._statemachine import IndexIterator


class SerialIterator(IndexIterator):
    """Iterate over a dataset in minibatches (lists of examples), in the calling thread.

    Args:
        dataset: Any object with ``__len__`` and ``__getitem__`` (integer index).
        batch_size (int): Examples per minibatch.
        repeat (bool): Loop over the dataset forever. When ``False``, ``next()`` raises
            ``StopIteration`` after one epoch; the last batch may be smaller.
        shuffle (bool): Visit examples in a new random order every epoch. ``None`` (default)
            means shuffle unless ``order_sampler`` is given.
        order_sampler (callable): ``order_sampler(current_order, current_position)`` returns
            the next epoch's order (see :class:`ShuffleOrderSampler`). Excludes ``shuffle``.

    When ``repeat`` is true a batch that crosses the end of an epoch is filled from the start
    of the next one, so every batch has ``batch_size`` examples.
    """

    def __next__(self):
        indices = self._advance()
        if indices is None:
            raise StopIteration
        dataset = self.dataset
        return [dataset[i] for i in indices.tolist()]

    next = __next__
