"""The Device interface: where arrays live and which array module (``xp``) computes on them."""
import contextlib
import threading

_local = threading.local()


def _context_stack(device):
    stacks = getattr(_local, 'stacks', None)
    if stacks is None:
        stacks = _local.stacks = {}
    return stacks.setdefault(id(device), [])


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
        # One device object is shared by everyone (and may be entered in nested blocks or in
        # several threads): each entry keeps its own context on a per-thread stack.
        context = self.create_context()
        context.__enter__()
        _context_stack(self).append(context)
        return self

    def __exit__(self, *exc):
        return _context_stack(self).pop().__exit__(*exc)

    def create_context(self):
        """Return a context manager that makes this device current (a no-op on the host)."""
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
