"""Every optimizer lowers the loss of a small regression net, and resumes bitwise from a save."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import optimizers
from dchain import serializers

OPTIMIZERS = {
    'SGD': lambda: optimizers.SGD(lr=0.1),
    'MomentumSGD': lambda: optimizers.MomentumSGD(lr=0.05),
    'NesterovAG': lambda: optimizers.NesterovAG(lr=0.05),
    'CorrectedMomentumSGD': lambda: optimizers.CorrectedMomentumSGD(lr=0.05),
    'AdaGrad': lambda: optimizers.AdaGrad(lr=0.05),
    'AdaDelta': lambda: optimizers.AdaDelta(),
    'RMSprop': lambda: optimizers.RMSprop(lr=0.01),
    'RMSpropGraves': lambda: optimizers.RMSpropGraves(lr=0.003),
    'SMORMS3': lambda: optimizers.SMORMS3(lr=0.01),
    'MSVAG': lambda: optimizers.MSVAG(lr=0.1),
    'Adam': lambda: optimizers.Adam(alpha=0.01),
    'AdamW': lambda: optimizers.AdamW(alpha=0.01, weight_decay_rate=1e-3),
    'AMSGrad': lambda: optimizers.AMSGrad(alpha=0.01),
    'AdaBound': lambda: optimizers.AdaBound(alpha=0.01),
    'AMSBound': lambda: optimizers.AMSBound(alpha=0.01),
}


class _Net(dchain.Chain):
    def __init__(self):
        super().__init__()
        rng = numpy.random.RandomState(0)
        with self.init_scope():
            self.l1 = L.Linear(4, 16, initialW=rng.normal(0, 0.5, (16, 4)).astype('f'))
            self.l2 = L.Linear(16, 1, initialW=rng.normal(0, 0.25, (1, 16)).astype('f'))

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _data():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (32, 4)).astype(numpy.float32)
    y = numpy.tanh(x @ numpy.array([[1.0], [-2.0], [0.5], [1.5]], numpy.float32))
    return x, y


def _loss(model, x, y):
    d = model(x) - y
    return F.sum(d * d) / len(x)


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
def test_training_lowers_loss(name):
    x, y = _data()
    model = _Net()
    opt = OPTIMIZERS[name]().setup(model)
    initial = float(_loss(model, x, y).array)
    for _ in range(40):
        opt.update(_loss, model, x, y)
    final = float(_loss(model, x, y).array)
    assert final < 0.7 * initial, (initial, final)


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
def test_resume_is_bitwise_identical(tmp_path, name):
    x, y = _data()
    model = _Net()
    opt = OPTIMIZERS[name]().setup(model)
    for _ in range(3):
        opt.update(_loss, model, x, y)
    path = str(tmp_path / 'snapshot.npz')
    # One file with the model and the optimizer under sub-paths, as a trainer snapshot does.

    class _Both:
        def serialize(self, s):
            model.serialize(s['model'])
            opt.serialize(s['optimizer'])

    serializers.save_npz(path, _Both())
    resumed = _Net()
    ropt = OPTIMIZERS[name]().setup(resumed)
    serializers.load_npz(path, resumed, path='model/')
    serializers.load_npz(path, ropt, path='optimizer/')
    for _ in range(4):
        opt.update(_loss, model, x, y)
        ropt.update(_loss, resumed, x, y)
    assert ropt.t == opt.t == 7
    for p, q in zip(model.params(), resumed.params()):
        assert numpy.array_equal(p.array, q.array)
        for key, value in p.update_rule.state.items():
            assert numpy.array_equal(value, q.update_rule.state[key])
