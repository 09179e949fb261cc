"""TransformDataset: applies a function to each example when it is read."""
from dchain.dataset.dataset_mixin import DatasetMixin


class TransformDataset(DatasetMixin):
    """Dataset whose ``i``-th example is ``transform(dataset[i])``, computed on access.

    Useful for data augmentation: the transform runs anew every time an example is read (in
    the worker processes when used with :class:`~dchain.iterators.MultiprocessIterator`).

    Args:
        dataset: Base dataset.
        transform (callable): Function of one example.
    """

    def __init__(self, dataset, transform):
        self._dataset = dataset
        self._transform = transform

    def __len__(self):
        return len(self._dataset)

    def get_example(self, i):
        return self._transform(self._dataset[i])
