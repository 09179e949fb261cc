"""End to end: prune and quantize a small trained classifier; size shrinks, accuracy holds."""
import os

import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import compression
from dchain import optimizers
from dchain import serializers


class _MLP(dchain.Chain):
    def __init__(self, n_in=32, n_hidden=256, n_out=3):
        super().__init__()
        rng = numpy.random.RandomState(0)
        with self.init_scope():
            self.l1 = L.Linear(n_in, n_hidden, initialW=rng.normal(
                0, n_in ** -0.5, (n_hidden, n_in)).astype(numpy.float32))
            self.l2 = L.Linear(n_hidden, n_out, initialW=rng.normal(
                0, n_hidden ** -0.5, (n_out, n_hidden)).astype(numpy.float32))

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _blobs(n, seed):
    rng = numpy.random.RandomState(seed)
    centers = numpy.random.RandomState(123).normal(0, 1, (3, 32))
    labels = rng.randint(0, 3, n)
    x = centers[labels] + rng.normal(0, 1.6, (n, 32))
    return x.astype(numpy.float32), labels


def _cross_entropy(model, x, labels):
    # Softmax cross entropy from core ops: log-sum-exp minus the target logit.
    logits = model(x)
    shift = logits.array.max(axis=1, keepdims=True)
    z = logits - shift
    onehot = numpy.eye(3, dtype=numpy.float32)[labels]
    lse = F.log(F.sum(F.exp(z), axis=1))
    return F.sum(lse - F.sum(z * onehot, axis=1)) / len(x)


def _accuracy(model, x, labels):
    with dchain.no_backprop_mode():
        return float((model(x).array.argmax(axis=1) == labels).mean())


@pytest.fixture(scope='module')
def trained():
    x, t = _blobs(400, 0)
    model = _MLP()
    opt = optimizers.Adam(alpha=0.01).setup(model)
    for _ in range(60):
        opt.update(_cross_entropy, model, x, t)
    return model


def test_prune_finetune_quantize(trained, tmp_path):
    x, t = _blobs(400, 0)
    x_test, t_test = _blobs(600, 1)
    model = trained.copy(mode='copy')
    base_acc = _accuracy(model, x_test, t_test)
    assert base_acc > 0.85  # the task is learnable; otherwise the comparison means nothing

    float_path = str(tmp_path / 'float32.npz')
    serializers.save_npz(float_path, model, compression=False)
    float_size = os.path.getsize(float_path)

    # Quantization alone.
    q_path = str(tmp_path / 'int8.npz')
    compression.save_quantized(q_path, model)
    q_model = _MLP()
    compression.load_quantized(q_path, q_model)
    q_acc = _accuracy(q_model, x_test, t_test)
    q_size = os.path.getsize(q_path)

    # Pruning to 80% sparsity, fine-tuning with the mask kept, then quantization.
    pruner = compression.magnitude_prune(model, 0.8)
    opt = optimizers.Adam(alpha=0.003).setup(model)
    opt.add_hook(pruner)
    for _ in range(20):
        opt.update(_cross_entropy, model, x, t)
    pruned_acc = _accuracy(model, x_test, t_test)
    assert compression.sparsity(model) > 0.79
    for name, p in model.namedparams():
        if name in pruner.masks:
            assert not p.array[~pruner.masks[name]].any()  # still zero after 20 updates
    pq_path = str(tmp_path / 'pruned_int8.npz')
    compression.save_quantized(pq_path, model)
    pq_model = _MLP()
    compression.load_quantized(pq_path, pq_model)
    pq_acc = _accuracy(pq_model, x_test, t_test)
    pq_size = os.path.getsize(pq_path)

    print('\nfloat32 npz: {} B, acc {:.3f}\nint8: {} B ({:.1f}x smaller), acc {:.3f}\n'
          '80% pruned + int8: {} B ({:.1f}x smaller), acc {:.3f} (pruned float acc {:.3f})'
          .format(float_size, base_acc, q_size, float_size / q_size, q_acc, pq_size,
                  float_size / pq_size, pq_acc, pruned_acc))
    assert float_size / q_size > 3.0  # int8 codes; float32 biases and scales remain
    assert float_size / pq_size > 5
    assert q_acc >= base_acc - 0.01
    assert pq_acc >= base_acc - 0.03
    assert compression.sparsity(pq_model) > 0.79  # zeros survive quantization exactly
