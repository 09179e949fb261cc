"""Order samplers: callables that choose the order in which an iterator visits a dataset."""
import numpy


class OrderSampler:
    """Base class: ``sampler(current_order, current_position)`` returns the next epoch's order.

    The returned integer array must have the same length as ``current_order``.
    """

    def __call__(self, current_order, current_position):
        raise NotImplementedError


class ShuffleOrderSampler(OrderSampler):
    """Visit the dataset in a fresh random permutation every epoch.

    Args:
        random_state (numpy.random.RandomState): Source of randomness; the global numpy
            generator when ``None``.
    """

    def __init__(self, random_state=None):
        # None keeps using the global generator, so numpy.random.seed() governs the order.
        self._random = numpy.random if random_state is None else random_state

    def __call__(self, current_order, current_position):
        return self._random.permutation(len(current_order))
