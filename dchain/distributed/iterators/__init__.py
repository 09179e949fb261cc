"""Iterators for multi-process jobs: one reader rank, or identical shuffles on every rank."""
import numpy

from dchain.iterators import ShuffleOrderSampler


class _MultiNodeIterator:
    """Rank ``rank_master`` reads batches and broadcasts them with the iterator state."""

    _STATE = ('epoch', 'epoch_detail', 'previous_epoch_detail', 'is_new_epoch',
              'current_position')

    def __init__(self, actual_iterator, communicator, rank_master=0):
        self.actual_iterator = actual_iterator
        self.communicator = communicator
        self.rank_master = rank_master
        self.is_master = communicator.rank == rank_master
        self.batch_size = communicator.bcast_obj(
            getattr(actual_iterator, 'batch_size', None) if self.is_master else None,
            root=rank_master)
        for name in self._STATE:
            setattr(self, name, None)
        self._sync(None)

    def _sync(self, batch):
        state = None
        if self.is_master:
            state = (batch, {name: getattr(self.actual_iterator, name, None)
                             for name in self._STATE})
        batch, values = self.communicator.bcast_obj(state, root=self.rank_master)
        for name, value in values.items():
            setattr(self, name, value)
        return batch

    def __iter__(self):
        return self

    def __next__(self):
        batch = None
        stop = False
        if self.is_master:
            try:
                batch = self.actual_iterator.next()
            except StopIteration:
                stop = True
        stop = self.communicator.bcast_obj(stop, root=self.rank_master)
        if stop:
            raise StopIteration
        return self._sync(batch)

    next = __next__

    def reset(self):
        if self.is_master:
            self.actual_iterator.reset()
        self._sync(None)

    def finalize(self):
        if self.is_master and hasattr(self.actual_iterator, 'finalize'):
            self.actual_iterator.finalize()

    def serialize(self, serializer):
        if self.is_master:
            self.actual_iterator.serialize(serializer)
        self._sync(None)


def create_multi_node_iterator(actual_iterator, communicator, rank_master=0):
    """Only ``rank_master`` reads data; every rank gets the same batches.

    For models split over ranks (model parallelism), where each rank needs the same input.
    Other ranks may pass any iterator object (it is not used).
    """
    return _MultiNodeIterator(actual_iterator, communicator, rank_master)


def create_synchronized_iterator(actual_iterator, communicator):
    """Make ``actual_iterator`` shuffle in the same order on every rank.

    A seed chosen on rank 0 is broadcast and given to a new :class:`ShuffleOrderSampler`;
    the iterator is reset so the next epoch uses it.
    """
    seed = communicator.bcast_obj(
        int(numpy.random.randint(0, 2 ** 31 - 1)) if communicator.rank == 0 else None)
    actual_iterator.order_sampler = ShuffleOrderSampler(numpy.random.RandomState(seed))
    actual_iterator.reset()
    return actual_iterator
