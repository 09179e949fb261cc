"""ConcatenatedDataset: several datasets seen as one, end to end."""
import bisect

from dchain.dataset.dataset_mixin import DatasetMixin


class ConcatenatedDataset(DatasetMixin):
    """The examples of ``datasets[0]``, then those of ``datasets[1]``, and so on.

    Args:
        *datasets: Datasets to chain (no copy is made).
    """

    def __init__(self, *datasets):
        self._datasets = datasets
        self._ends = []
        total = 0
        for d in datasets:
            total += len(d)
            self._ends.append(total)

    def __len__(self):
        return self._ends[-1] if self._ends else 0

    def get_example(self, i):
        n = len(self)
        if not -n <= i < n:
            raise IndexError('ConcatenatedDataset index {} out of range for length {}'.format(
                i, n))
        if i < 0:
            i += n
        k = bisect.bisect_right(self._ends, i)
        start = self._ends[k - 1] if k else 0
        return self._datasets[k][i - start]
