"""SubDataset and the split helpers: views of a contiguous range of a (permuted) dataset."""
import numbers

import numpy

from dchain.dataset.dataset_mixin import DatasetMixin


class SubDataset(DatasetMixin):
    """View of the examples ``order[start:finish]`` of a base dataset (no copy).

    Args:
        dataset: Base dataset.
        start (int): First index (inclusive) into the (permuted) base dataset.
        finish (int): Last index (exclusive).
        order (sequence of ints): Permutation of the base dataset's indices, or ``None`` for
            the identity.
    """

    def __init__(self, dataset, start, finish, order=None):
        n = len(dataset)
        if not 0 <= start <= finish <= n:
            raise ValueError('SubDataset: need 0 <= start <= finish <= len(dataset), got start={}, '
                             'finish={}, len(dataset)={}'.format(start, finish, n))
        if order is not None:
            order = numpy.asarray(order)
            if order.ndim != 1 or len(order) != n:
                raise ValueError('SubDataset: order must be a permutation of length {} (the base '
                                 'dataset), got shape {}'.format(n, order.shape))
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._size = finish - start
        self._order = order

    def __len__(self):
        return self._size

    def get_example(self, i):
        if not -self._size <= i < self._size:
            raise IndexError('SubDataset index {} out of range for length {}'.format(
                i, self._size))
        if i < 0:
            i += self._size
        index = self._start + i
        if self._order is not None:
            index = int(self._order[index])
        return self._dataset[index]


def _check_size(name, value, upper):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError('{} must be an int, got {}'.format(name, type(value).__name__))
    if not 0 <= value <= upper:
        raise ValueError('{} must be in [0, {}] (the dataset size), got {}'.format(
            name, upper, value))


def split_dataset(dataset, split_at, order=None):
    """Split a dataset in two at ``split_at``: ``order[:split_at]`` and ``order[split_at:]``.

    Returns:
        tuple of two :class:`SubDataset`.
    """
    n = len(dataset)
    _check_size('split_at', split_at, n)
    return (SubDataset(dataset, 0, split_at, order),
            SubDataset(dataset, split_at, n, order))


def split_dataset_random(dataset, first_size, seed=None):
    """Split a dataset in two at random; the first part has ``first_size`` examples.

    With an integer ``seed`` the split is reproducible.
    """
    _check_size('first_size', first_size, len(dataset))
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset, n, order=None):
    """Split a dataset into ``n`` parts of ``len(dataset) // n`` examples each.

    The remaining ``len(dataset) % n`` examples belong to no part.
    """
    if not isinstance(n, numbers.Integral) or n <= 0:
        raise ValueError('n must be a positive int, got {!r}'.format(n))
    size = len(dataset) // n
    return [SubDataset(dataset, size * i, size * (i + 1), order) for i in range(n)]


def split_dataset_n_random(dataset, n, seed=None):
    """:func:`split_dataset_n` on a random permutation (reproducible with ``seed``)."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset_n(dataset, n, order)


def _n_folds_argument(n_folds, kwargs):
    # Chainer once called this argument ``n``; accept both, as it does.
    if 'n' in kwargs:
        if n_folds is not None:
            raise TypeError('give n_folds or n, not both')
        n_folds = kwargs.pop('n')
    if kwargs:
        raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
    if n_folds is None:
        raise TypeError('n_folds is required')
    if not isinstance(n_folds, numbers.Integral) or n_folds < 2:
        raise ValueError('n_folds must be an int >= 2, got {!r}'.format(n_folds))
    return n_folds


def get_cross_validation_datasets(dataset, n_folds=None, order=None, **kwargs):
    """Make ``n_folds`` (train, test) pairs for k-fold cross validation.

    ``order`` (default: the identity) is cut into ``n_folds`` nearly equal folds; the i-th pair
    tests on fold i and trains on all the others.

    Returns:
        list of ``(train, test)`` tuples of :class:`SubDataset`.
    """
    n_folds = _n_folds_argument(n_folds, kwargs)
    size = len(dataset)
    if n_folds > size:
        raise ValueError('n_folds ({}) exceeds the dataset size ({})'.format(n_folds, size))
    order = numpy.arange(size) if order is None else numpy.asarray(order)
    if len(order) != size:
        raise ValueError('order has length {}, the dataset {}'.format(len(order), size))
    borders = [size * i // n_folds for i in range(n_folds + 1)]
    pairs = []
    for i in range(n_folds):
        lo, hi = borders[i], borders[i + 1]
        fold_order = numpy.concatenate([order[:lo], order[hi:], order[lo:hi]])
        pairs.append(split_dataset(dataset, size - (hi - lo), fold_order))
    return pairs


def get_cross_validation_datasets_random(dataset, n_folds=None, seed=None, **kwargs):
    """:func:`get_cross_validation_datasets` on a random permutation (reproducible with
    ``seed``)."""
    n_folds = _n_folds_argument(n_folds, kwargs)
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order)
