"""The serializer protocol: one ``serialize(serializer)`` method both saves and loads an object.

An object walks its own tree, calling ``serializer(key, value)`` for each leaf and
``obj.serialize(serializer[name])`` for each child. A :class:`Serializer` stores ``value`` and
returns it. A :class:`Deserializer` reads ``key``: it copies the stored array into ``value`` in
place when ``value`` is an array (on the array's device) and returns ``value``; when ``value``
is None or a scalar it returns the stored value (converted to ``value``'s type). So the same
line ``self.t = serializer('t', self.t)`` saves and restores a counter.
"""


class AbstractSerializer:
    """Common interface of serializers and deserializers."""

    def __getitem__(self, key):
        """The child (de)serializer for the sub-tree ``key``."""
        raise NotImplementedError

    def __call__(self, key, value):
        """Save or load the leaf ``key`` (see the module docstring)."""
        raise NotImplementedError


class Serializer(AbstractSerializer):
    """Base of serializers that save."""

    def save(self, obj):
        """Save ``obj`` (anything with a ``serialize`` method)."""
        obj.serialize(self)


class Deserializer(AbstractSerializer):
    """Base of serializers that load."""

    def load(self, obj):
        """Load ``obj`` (anything with a ``serialize`` method) in place."""
        obj.serialize(self)


class SerializedFileError(OSError, ValueError):
    """A serialized file cannot be read: truncated, corrupted, or not of the expected format.

    It is both an :class:`OSError` and a :class:`ValueError`, so callers catching either see it.
    """
