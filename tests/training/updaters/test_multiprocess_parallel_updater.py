"""MultiprocessParallelUpdater: forked workers on CPU devices, equivalence and failures."""
import os
import signal

import numpy
import pytest

import dchain.links as L
from dchain import datasets, iterators, optimizers, training
from dchain.training.updaters.multiprocess_parallel_updater import WorkerError


def _data(n=64, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, 6).astype(numpy.float32)
    t = (x[:, 0] + x[:, 1] > 0).astype(numpy.int32)
    return x, t


def _model(seed=0):
    numpy.random.seed(seed)
    return L.Classifier(L.Linear(6, 2))


def test_matches_one_process_on_the_whole_batch():
    x, t = _data()
    halves = [datasets.TupleDataset(x[:32], t[:32]), datasets.TupleDataset(x[32:], t[32:])]
    model = _model()
    ref = model.copy('copy')
    opt = optimizers.MomentumSGD(lr=0.1).setup(model)
    ref_opt = optimizers.MomentumSGD(lr=0.1).setup(ref)
    updater = training.updaters.MultiprocessParallelUpdater(
        [iterators.SerialIterator(h, 8, shuffle=False) for h in halves], opt,
        devices=['@numpy', '@numpy'])
    ref_iters = [iterators.SerialIterator(h, 8, shuffle=False) for h in halves]
    try:
        for _ in range(6):
            updater.update()
            b0, b1 = (it.next() for it in ref_iters)
            xs = numpy.stack([e[0] for e in b0 + b1])
            ts = numpy.array([e[1] for e in b0 + b1])
            ref_opt.update(ref, xs, ts)
    finally:
        updater.finalize()
    for (name, p), (_, q) in zip(model.namedparams(), ref.namedparams()):
        numpy.testing.assert_allclose(p.array, q.array, rtol=1e-5, atol=1e-6, err_msg=name)
    assert updater.iteration == 6


def test_dead_worker_is_reported_not_waited_for():
    x, t = _data(32)
    main_pid = os.getpid()
    model = _model()

    def loss_func(x, t):
        if os.getpid() != main_pid:
            os.kill(os.getpid(), signal.SIGKILL)
        return model(x, t)

    opt = optimizers.SGD().setup(model)
    its = [iterators.SerialIterator(datasets.TupleDataset(x, t), 4) for _ in range(2)]
    updater = training.updaters.MultiprocessParallelUpdater(
        its, opt, devices={'main': -1, 'second': '@numpy'}, loss_func=loss_func, timeout=20)
    try:
        with pytest.raises(WorkerError, match=r'worker 1 .* died \(signal SIGKILL\)'):
            updater.update()
    finally:
        updater.finalize()


def test_argument_errors():
    opt = optimizers.SGD().setup(_model())
    its = [iterators.SerialIterator(datasets.TupleDataset(*_data(8)), 4)]
    with pytest.raises(ValueError, match='one device per iterator'):
        training.updaters.MultiprocessParallelUpdater(its, opt, devices=['@numpy', -1])
