"""DictDataset: zips equal-length named datasets so each example is a dict."""
from dchain.datasets.tuple_dataset import _is_batch_index, _take


class DictDataset:
    """Dataset whose ``i``-th example is ``{name: dataset[i] for each named dataset}``.

    Args:
        **datasets: Named datasets of one common length.

    Indexing with an integer returns a dict; a slice, list or integer array returns a list of
    dicts.
    """

    def __init__(self, **datasets):
        if not datasets:
            raise ValueError('DictDataset needs at least one dataset')
        lengths = {k: len(v) for k, v in datasets.items()}
        if len(set(lengths.values())) != 1:
            raise ValueError('DictDataset: all datasets must have the same length, got lengths '
                             '{}'.format(lengths))
        self._datasets = datasets
        self._length = next(iter(lengths.values()))

    def __getitem__(self, index):
        columns = {k: _take(v, index) for k, v in self._datasets.items()}
        if _is_batch_index(index):
            n = len(next(iter(columns.values())))
            return [{k: v[i] for k, v in columns.items()} for i in range(n)]
        return columns

    def __len__(self):
        return self._length
