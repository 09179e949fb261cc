"""DatasetMixin: define ``__len__`` and ``get_example(i)``, get indexing and slicing for free."""
import numpy


class DatasetMixin:
    """Base of datasets that compute one example at a time.

    A subclass implements ``__len__`` and ``get_example(i)``. Indexing with an integer returns
    one example; a slice, a list of indices or an integer array returns a list of examples.
    """

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.get_example(i) for i in range(*index.indices(len(self)))]
        if isinstance(index, (list, numpy.ndarray)):
            if isinstance(index, numpy.ndarray) and index.dtype == numpy.bool_:
                raise TypeError('{}: boolean-mask indexing is not supported; use '
                                'numpy.flatnonzero(mask)'.format(type(self).__name__))
            return [self.get_example(int(i)) for i in index]
        if not isinstance(index, (int, numpy.integer)):
            raise TypeError('{} indices must be integers, slices, lists or integer arrays, not '
                            '{}'.format(type(self).__name__, type(index).__name__))
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError('{} index {} out of range for length {}'.format(
                type(self).__name__, index, n))
        return self.get_example(int(index))

    def __len__(self):
        raise NotImplementedError('{} must implement __len__'.format(type(self).__name__))

    def get_example(self, i):
        """Return the ``i``-th example (``0 <= i < len(self)``)."""
        raise NotImplementedError('{} must implement get_example(i)'.format(type(self).__name__))
