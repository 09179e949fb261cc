"""TupleDataset: zips equal-length datasets so each example is a tuple of their items."""
import numpy


def _is_batch_index(index):
    return isinstance(index, (slice, list, numpy.ndarray))


def _take(dataset, index):
    """``dataset[index]``, also for Python sequences indexed by a list or array of ints."""
    if isinstance(dataset, (list, tuple)) and isinstance(index, (list, numpy.ndarray)):
        return [dataset[i] for i in index]
    return dataset[index]


class TupleDataset:
    """Dataset whose ``i``-th example is ``(datasets[0][i], datasets[1][i], ...)``.

    Args:
        *datasets: Datasets (arrays, lists, other datasets) of one common length.

    Indexing with an integer returns a tuple; a slice, list or integer array returns a list of
    tuples.
    """

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TupleDataset needs at least one dataset')
        lengths = [len(d) for d in datasets]
        if any(n != lengths[0] for n in lengths):
            raise ValueError('TupleDataset: all datasets must have the same length, got lengths '
                             '{}'.format(lengths))
        self._datasets = datasets
        self._length = lengths[0]

    def __getitem__(self, index):
        columns = [_take(d, index) for d in self._datasets]
        if _is_batch_index(index):
            return list(zip(*columns))
        return tuple(columns)

    def __len__(self):
        return self._length
