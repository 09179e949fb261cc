"""ParallelUpdater and the seeds' single-process parallel programs, on CPU device specifiers."""
import numpy
import pytest

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import Chain, Variable, datasets, iterators, optimizers, training


class MLP(Chain):
    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def _data(n=64, d=12, k=3, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, d).astype(numpy.float32)
    t = (x[:, :k].argmax(axis=1)).astype(numpy.int32)
    return x, t


def _init(model, x):
    model(x[:2])  # initialize lazy parameters


def test_parallel_updater_equals_standard_updater_on_the_whole_batch():
    x, t = _data()
    numpy.random.seed(0)
    ref = L.Classifier(MLP(8, 3))
    _init(ref.predictor, x)
    par = ref.copy('copy')
    ref_opt = optimizers.SGD(lr=0.1).setup(ref)
    par_opt = optimizers.SGD(lr=0.1).setup(par)
    dataset = datasets.TupleDataset(x, t)
    ref_up = training.updaters.StandardUpdater(
        iterators.SerialIterator(dataset, 16, shuffle=False), ref_opt)
    # Two halves summed equal one batch when each half's loss is the mean over the half and
    # the reference loss is the mean over the whole batch, times 2.
    par_up = training.updaters.ParallelUpdater(
        iterators.SerialIterator(dataset, 16, shuffle=False), par_opt,
        devices={'main': '@numpy', 'second': -1},
        loss_func=lambda x, t: par(x, t) / 2)
    for _ in range(4):
        ref_up.update()
        par_up.update()
    for (name, p), (_, q) in zip(ref.namedparams(), par.namedparams()):
        numpy.testing.assert_allclose(q.array, p.array, rtol=1e-5, atol=1e-6, err_msg=name)
    # The copy on the second device follows the main model.
    second = par_up._models['second']
    for (_, p), (_, q) in zip(par.namedparams(), second.namedparams()):
        numpy.testing.assert_array_equal(q.array, p.array)


def test_parallel_updater_arguments():
    model = L.Classifier(MLP(4, 3))
    opt = optimizers.SGD().setup(model)
    it = iterators.SerialIterator(datasets.TupleDataset(*_data(8)), 4)
    with pytest.raises(ValueError, match='exactly one of models and devices'):
        training.updaters.ParallelUpdater(it, opt)
    with pytest.raises(ValueError, match="'main'"):
        training.updaters.ParallelUpdater(it, opt, devices={'second': -1})


def test_parallel_updater_in_a_trainer(tmp_path):
    x, t = _data(96)
    model = L.Classifier(MLP(16, 3))
    optimizer = optimizers.Adam(alpha=0.01).setup(model)
    train_iter = iterators.SerialIterator(datasets.TupleDataset(x, t), 32)
    updater = training.updaters.ParallelUpdater(train_iter, optimizer,
                                                devices={'main': '@numpy', 'second': '@numpy'})
    trainer = training.Trainer(updater, (10, 'epoch'), out=str(tmp_path))
    losses = []
    trainer.extend(lambda tr: losses.append(float(tr.observation['main/loss'].array)),
                   trigger=(1, 'iteration'))
    trainer.run()
    assert len(losses) == 30
    assert numpy.mean(losses[-3:]) < 0.8 * numpy.mean(losses[:3])


class ParallelMLP(Chain):
    """The seeds' model-parallel MLP, with CPU device specifiers instead of GPU ids."""

    def __init__(self, dev0='@numpy', dev1='@numpy'):
        super(ParallelMLP, self).__init__()
        self.dev0, self.dev1 = dev0, dev1
        with self.init_scope():
            self.mlp1_gpu0 = MLP(10, 20).to_device(dev0)
            self.mlp1_gpu1 = MLP(10, 20).to_device(dev1)
            self.mlp2_gpu0 = MLP(10, 3).to_device(dev0)
            self.mlp2_gpu1 = MLP(10, 3).to_device(dev1)

    def forward(self, x):
        z0 = self.mlp1_gpu0(x)
        z1 = self.mlp1_gpu1(F.copy(x, self.dev1))
        h0 = F.relu(z0 + F.copy(z1, self.dev0))
        h1 = F.relu(z1 + F.copy(z0, self.dev1))
        y0 = self.mlp2_gpu0(h0)
        y1 = self.mlp2_gpu1(h1)
        y = y0 + F.copy(y1, self.dev0)
        return y


def test_seed_parallel_mlp_with_copy_trains():
    x, t = _data()
    model = L.Classifier(ParallelMLP())
    optimizer = optimizers.Adam(alpha=0.01)
    optimizer.setup(model)
    first = None
    for _ in range(30):
        optimizer.update(model, Variable(x), Variable(t))
        first = first if first is not None else float(model.loss.array)
    assert float(model.loss.array) < first
    chainer.gradient_check.check_backward(
        lambda v: ParallelMLP.forward(model.predictor, v), x[:4], numpy.ones((4, 3), 'f'),
        params=tuple(model.params()), atol=1e-2, rtol=1e-2, dtype=numpy.float64)


def test_seed_hand_written_data_parallel_loop():
    x_train, y_train = _data(64)
    numpy.random.seed(1)
    model_0 = L.Classifier(MLP(10, 3))
    _init(model_0.predictor, x_train)
    model_1 = model_0.copy()
    model_0.to_device('@numpy')
    model_1.to_device('@numpy')
    optimizer = optimizers.SGD()
    optimizer.setup(model_0)
    reference = model_0.copy('copy')
    ref_opt = optimizers.SGD().setup(reference)

    batchsize = 16
    datasize = len(x_train)
    for epoch in range(2):
        indexes = numpy.random.permutation(datasize)
        for i in range(0, datasize, batchsize):
            x_batch = x_train[indexes[i: i + batchsize]]
            y_batch = y_train[indexes[i: i + batchsize]]
            x0 = Variable(x_batch[:batchsize // 2])
            t0 = Variable(y_batch[:batchsize // 2])
            x1 = Variable(x_batch[batchsize // 2:])
            t1 = Variable(y_batch[batchsize // 2:])
            loss_0 = model_0(x0, t0)
            loss_1 = model_1(x1, t1)
            model_0.cleargrads()
            model_1.cleargrads()
            loss_0.backward()
            loss_1.backward()
            model_0.addgrads(model_1)
            optimizer.update()
            model_1.copyparams(model_0)
            # The same step on one model: the sum of the two half-batch mean losses.
            reference.cleargrads()
            (reference(x0, t0) + reference(x1, t1)).backward()
            ref_opt.update()
    for (name, p), (_, q) in zip(model_0.namedparams(), reference.namedparams()):
        numpy.testing.assert_allclose(p.array, q.array, rtol=1e-5, atol=1e-6, err_msg=name)
