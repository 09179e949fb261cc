"""Saving and loading objects that have a ``serialize`` method (links, optimizers, trainers)."""
from dchain.serializers.npz import (DictionarySerializer, NpzDeserializer,  # noqa: F401
                                    save_npz, load_npz)
