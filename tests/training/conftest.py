"""Shared fixtures for the training tests: a tiny classification problem and a trainer."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import datasets, iterators, optimizers, training


def make_dataset(n=60, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, 5).astype(numpy.float32)
    t = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(numpy.int32)
    return datasets.TupleDataset(x, t)


def _make_trainer(out, stop=(3, 'epoch'), batch_size=8, optimizer=None, seed=0, n=60):
    numpy.random.seed(seed)
    model = L.Classifier(dchain.Sequential(L.Linear(5, 6), F.relu, L.Linear(6, 2)))
    optimizer = optimizer or optimizers.MomentumSGD(lr=0.1)
    optimizer.setup(model)
    it = iterators.SerialIterator(make_dataset(n), batch_size)
    updater = training.updaters.StandardUpdater(it, optimizer, device=-1)
    return training.Trainer(updater, stop, out=str(out))


@pytest.fixture
def make_trainer():
    """``make_trainer(out, stop=..., batch_size=..., optimizer=..., seed=..., n=...)``: a
    Trainer on a 5-feature two-class problem with a small MLP classifier."""
    return _make_trainer
