"""Fixtures for iterator tests: a dict-backed serializer pair (dchain's serializer protocol)."""
import numpy
import pytest


class DictSerializer:
    def __init__(self):
        self.target = {}

    def __call__(self, key, value):
        self.target[key] = numpy.array(value) if isinstance(value, numpy.ndarray) else value
        return value


class DictDeserializer:
    def __init__(self, target):
        self.target = target

    def __call__(self, key, value):
        if key not in self.target:
            raise KeyError(key)
        loaded = self.target[key]
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, loaded)
            return value
        return loaded


@pytest.fixture
def serializer_pair():
    return DictSerializer, DictDeserializer
