"""The Device interface: where arrays live and which array module (``xp``) computes on them."""


class Device:
    """A place where arrays live (host memory, one GPU).

    Subclasses set ``xp`` (the array module), ``name`` (the specifier that ``get_device`` parses
    back into an equal device) and implement :meth:`send_array` and
    :meth:`is_array_supported`.
    """

    xp = None
    name = None
    supported_array_types = ()

    def __repr__(self):
        return '<{} {}>'.format(type(self).__name__, self.name)

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, Device) and self.name == other.name

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.name)

    def __enter__(self):
        self._entered = self.create_context()
        self._entered.__enter__()
        return self

    def __exit__(self, *exc):
        entered, self._entered = self._entered, None
        return entered.__exit__(*exc)

    def create_context(self):
        """Return a context manager that makes this device current (a no-op on the host)."""
        import contextlib
        return contextlib.nullcontext()

    def use(self):
        """Make this device current in this thread (GPU devices only need it)."""

    def is_array_supported(self, array):
        return isinstance(array, self.supported_array_types)

    def send_array(self, array):
        raise NotImplementedError

    def send(self, arrays):
        """Transfer an array, or a (nested) list/tuple/dict of arrays, to this device.

        Scalars and ``None`` pass through unchanged. Arrays already on this device are returned
        as they are, without a copy.
        """
        if arrays is None:
            return None
        if isinstance(arrays, (list, tuple)):
            return type(arrays)(self.send(a) for a in arrays)
        if isinstance(arrays, dict):
            return {k: self.send(v) for k, v in arrays.items()}
        return self.send_array(arrays)
