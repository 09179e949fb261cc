"""Iterator: the interface every dataset iterator follows (``next``, ``epoch``, ``serialize``)."""


class Iterator:
    """Base class of dataset iterators.

    An iterator returns one minibatch (a list of examples) per ``next()`` and exposes ``epoch``,
    ``epoch_detail``, ``is_new_epoch`` and ``serialize(serializer)`` so that training can be
    resumed. Iterators holding workers release them in :meth:`finalize`, which ``with`` blocks
    call on exit.
    """

    def __iter__(self):
        return self

    def __next__(self):
        raise NotImplementedError

    def next(self):
        return self.__next__()

    def finalize(self):
        """Release resources (worker processes or threads); a no-op by default."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.finalize()

    def serialize(self, serializer):
        """Save or load the iteration state through ``serializer(key, value)``."""
