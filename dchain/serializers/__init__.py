"""Saving and loading objects that have a ``serialize`` method (links, optimizers, trainers)."""
from dchain.serializers.npz import (DictionarySerializer, NpzDeserializer,  # noqa: F401
                                    save_npz, load_npz)
from dchain.serializers.hdf5 import (HDF5Serializer, HDF5Deserializer,  # noqa: F401
                                     save_hdf5, load_hdf5)
