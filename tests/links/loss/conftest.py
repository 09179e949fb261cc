"""Seed numpy's global generator per test: gradient checks draw their direction from it."""
import numpy
import pytest


@pytest.fixture(autouse=True)
def _seed_numpy():
    numpy.random.seed(0)
