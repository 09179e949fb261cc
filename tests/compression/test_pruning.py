"""Magnitude pruning: which weights go, and that they stay zero through training."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import compression
from dchain import optimizers
from dchain import serializers


def _model(seed=0):
    rng = numpy.random.RandomState(seed)
    model = dchain.Sequential(
        L.Linear(6, 10, initialW=rng.normal(0, 1, (10, 6)).astype(numpy.float32),
                 initial_bias=rng.normal(0, 1, 10).astype(numpy.float32)),
        F.tanh,
        L.Linear(10, 2, initialW=rng.normal(0, 0.1, (2, 10)).astype(numpy.float32)))
    return model


def _weights(model):
    return {name: p.array.copy() for name, p in model.namedparams()}


def test_layer_scope_prunes_smallest_of_each_weight():
    model = _model()
    before = _weights(model)
    pruner = compression.magnitude_prune(model, 0.5)
    after = _weights(model)
    assert sorted(pruner.masks) == ['/0/W', '/1/W']
    for name in pruner.masks:
        w = before[name]
        n_prune = int(0.5 * w.size)
        order = numpy.argsort(numpy.abs(w).ravel(), kind='stable')
        expected = w.ravel().copy()
        expected[order[:n_prune]] = 0
        numpy.testing.assert_array_equal(after[name].ravel(), expected)
    numpy.testing.assert_array_equal(after['/0/b'], before['/0/b'])  # biases untouched
    assert compression.sparsity(model) == pytest.approx(0.5)


def test_global_scope_ranks_all_weights_together():
    model = _model()
    before = _weights(model)
    compression.magnitude_prune(model, 0.5, scope='global')
    after = _weights(model)
    pruned = numpy.concatenate([numpy.abs(before[n])[after[n] == 0] for n in ('/0/W', '/1/W')])
    kept = numpy.concatenate([numpy.abs(before[n])[after[n] != 0] for n in ('/0/W', '/1/W')])
    assert pruned.max() <= kept.min()
    assert len(pruned) == 40
    # The second layer's weights are ten times smaller, so it loses more of them.
    assert (after['/1/W'] == 0).mean() > (after['/0/W'] == 0).mean()


def test_mask_survives_momentum_updates():
    model = _model()
    pruner = compression.magnitude_prune(model, 0.7)
    opt = optimizers.MomentumSGD(lr=0.1, momentum=0.9).setup(model)
    x = numpy.random.RandomState(1).normal(0, 1, (8, 6)).astype(numpy.float32)
    # Build momentum before the hook is attached: without it pruned weights would revive.
    opt.update(lambda: F.sum(model(x) ** 2))
    assert compression.sparsity(model) < 0.7
    pruner.apply(model)
    opt.add_hook(pruner)
    for _ in range(5):
        opt.update(lambda: F.sum(model(x) ** 2))
        for name, p in model.namedparams():
            if name in pruner.masks:
                assert not p.array[~pruner.masks[name]].any()
    assert compression.sparsity(model) >= 0.69


def test_custom_filter_and_errors():
    model = _model()
    pruner = compression.magnitude_prune(model, 0.3, param_filter=lambda n, p: n == '/0/b')
    assert list(pruner.masks) == ['/0/b']
    assert (model[0].b.array == 0).sum() == 3
    with pytest.raises(ValueError, match='sparsity'):
        compression.MagnitudePruning(1.0)
    with pytest.raises(ValueError, match='scope'):
        compression.MagnitudePruning(0.5, scope='row')
    with pytest.raises(ValueError, match='no parameter'):
        compression.magnitude_prune(L.Linear(None, 3), 0.5)
    with pytest.raises(ValueError, match='shape'):
        pruner.masks = {'/0/W': numpy.ones((3, 3), bool)}
        pruner.apply(model)


def test_masks_serialize(tmp_path):
    model = _model()
    pruner = compression.magnitude_prune(model, 0.6)
    path = str(tmp_path / 'masks.npz')
    serializers.save_npz(path, pruner)
    other = compression.MagnitudePruning(0.6)
    other.masks = {name: numpy.ones_like(m) for name, m in pruner.masks.items()}
    serializers.load_npz(path, other)
    for name in pruner.masks:
        numpy.testing.assert_array_equal(other.masks[name], pruner.masks[name])


def test_pruner_callable_form():
    model = _model()
    pruner = compression.Pruner(level=0.5)
    assert pruner(model) is model
    assert pruner.level == 0.5
    assert compression.sparsity(model) == pytest.approx(0.5)
    opt = optimizers.SGD(lr=0.5).setup(model)
    opt.add_hook(pruner)
    x = numpy.ones((2, 6), numpy.float32)
    opt.update(lambda: F.sum(model(x)))
    assert compression.sparsity(model) == pytest.approx(0.5)
