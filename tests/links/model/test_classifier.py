"""L.Classifier: loss and accuracy computed, reported and stored; label_key handling."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


class _Scaled(dchain.Chain):
    """A predictor with an extra positional and keyword argument, to see them forwarded."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(3, 4)

    def forward(self, x, scale=1.0):
        return self.fc(x) * scale


def _data():
    rng = numpy.random.RandomState(0)
    x = rng.randn(6, 3).astype(numpy.float32)
    t = rng.randint(0, 4, 6).astype(numpy.int32)
    return x, t


def test_loss_accuracy_and_report():
    x, t = _data()
    model = L.Classifier(_Scaled())
    reporter = dchain.Reporter()
    reporter.add_observer('main', model)
    observation = {}
    with reporter.scope(observation):
        loss = model(x, t)
    y = model.predictor(x)
    numpy.testing.assert_allclose(loss.array, F.softmax_cross_entropy(y, t).array)
    numpy.testing.assert_allclose(model.y.array, y.array)
    assert model.loss is loss
    numpy.testing.assert_allclose(model.accuracy.array,
                                  (y.array.argmax(1) == t).mean(), rtol=1e-6)
    assert set(observation) == {'main/loss', 'main/accuracy'}
    numpy.testing.assert_allclose(observation['main/loss'].array, loss.array)


def test_gradients_reach_the_predictor():
    x, t = _data()
    model = L.Classifier(_Scaled())
    model.cleargrads()
    model(x, t).backward()
    assert model.predictor.fc.W.grad is not None
    assert numpy.abs(model.predictor.fc.W.grad).sum() > 0
    assert [name for name, _ in model.namedparams()] == ['/predictor/fc/W', '/predictor/fc/b']


def test_compute_accuracy_off():
    x, t = _data()
    model = L.Classifier(_Scaled())
    model.compute_accuracy = False
    reporter = dchain.Reporter()
    reporter.add_observer('main', model)
    observation = {}
    with reporter.scope(observation):
        model(x, t)
    assert model.accuracy is None
    assert set(observation) == {'main/loss'}


def test_custom_functions_and_label_positions():
    x, t = _data()
    calls = []

    def lossfun(y, t):
        calls.append(t)
        return F.sum(y)

    model = L.Classifier(_Scaled(), lossfun=lossfun, accfun=lambda y, t: F.sum(y) * 0,
                         label_key=1)
    loss = model(x, t, 2.0)
    assert calls[-1] is t
    numpy.testing.assert_allclose(loss.array, (model.predictor(x).array * 2).sum(), rtol=1e-5)
    model = L.Classifier(_Scaled(), lossfun=lossfun, label_key='label')
    model(x, scale=3.0, label=t)
    assert calls[-1] is t


def test_label_key_errors():
    x, t = _data()
    with pytest.raises(TypeError):
        L.Classifier(_Scaled(), label_key=1.5)
    with pytest.raises(ValueError):
        L.Classifier(_Scaled(), label_key=2)(x, t)
    with pytest.raises(ValueError):
        L.Classifier(_Scaled(), label_key='t')(x, t)


def test_binary_classifier_trains():
    """The mushroom-example setup: sigmoid cross entropy and binary accuracy on (N, 1)."""
    rng = numpy.random.RandomState(0)
    x = rng.randn(64, 4).astype(numpy.float32)
    t = (x[:, :1] + x[:, 1:2] > 0).astype(numpy.int32)
    model = L.Classifier(L.Linear(4, 1), lossfun=F.sigmoid_cross_entropy,
                         accfun=F.binary_accuracy)
    first = float(model(x, t).array)
    for _ in range(50):
        model.cleargrads()
        model(x, t).backward()
        for p in model.params():
            p.array -= 0.5 * p.grad
    assert float(model.loss.array) < 0.5 * first
    assert float(model.accuracy.array) > 0.9
