"""StandardUpdater: the step, loss_func, converters (tuple, dict, Converter objects), device,
auto_new_epoch, serialization and subclassing as the DCGAN updater does."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import iterators, optimizers, training
from dchain.dataset import convert


def _setup(n=12, batch=4):
    numpy.random.seed(0)
    x = numpy.random.randn(n, 3).astype(numpy.float32)
    t = (x[:, 0] > 0).astype(numpy.int32)
    dataset = list(zip(x, t))
    model = L.Classifier(L.Linear(3, 2))
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    it = iterators.SerialIterator(dataset, batch, shuffle=False)
    return model, optimizer, it, x, t


def test_one_step_matches_a_hand_written_step():
    model, optimizer, it, x, t = _setup()
    W0 = model.predictor.W.array.copy()
    updater = training.updaters.StandardUpdater(it, optimizer)
    updater.update()
    assert updater.iteration == 1
    # Same step by hand on a copy.
    ref = L.Linear(3, 2)
    ref.W.array[...] = W0
    ref.b.array[...] = 0
    loss = F.softmax_cross_entropy(ref(x[:4]), t[:4])
    ref.cleargrads()
    loss.backward()
    numpy.testing.assert_allclose(model.predictor.W.array, W0 - 0.1 * ref.W.grad, rtol=1e-6)


def test_epoch_progress_and_auto_new_epoch():
    model, optimizer, it, _, _ = _setup(n=12, batch=4)
    updater = training.StandardUpdater(it, optimizer, device=-1)
    assert optimizer.use_auto_new_epoch
    for _ in range(3):
        updater.update()
    assert updater.epoch == 1 and updater.is_new_epoch and optimizer.epoch == 1
    assert updater.epoch_detail == 1.0 and updater.previous_epoch_detail == pytest.approx(2 / 3)
    with pytest.raises(RuntimeError, match='by the updater'):
        optimizer.new_epoch()


def test_loss_func_and_dict_converter():
    model, optimizer, it, _, _ = _setup()
    calls = []

    @convert.converter()
    def to_dict(batch, device):
        xs, ts = convert.concat_examples(batch, device)
        return {'x': xs, 't': ts}

    def loss_func(x, t):
        calls.append(x.shape)
        return F.softmax_cross_entropy(model.predictor(x), t)
    updater = training.StandardUpdater(it, optimizer, converter=to_dict, loss_func=loss_func)
    updater.update()
    assert calls == [(4, 3)]


def test_legacy_converter_gets_the_raw_device_spec():
    model, optimizer, it, _, _ = _setup()
    seen = []

    def legacy(batch, device=None):
        seen.append(device)
        return convert.concat_examples(batch)
    updater = training.StandardUpdater(it, optimizer, converter=legacy, device='@numpy')
    updater.update()
    assert seen[0] == dchain.get_device('@numpy')
    assert updater.device.xp is numpy


def test_missing_main_and_unset_optimizer_are_clear_errors():
    model, optimizer, it, _, _ = _setup()
    with pytest.raises(ValueError, match="'main'"):
        training.StandardUpdater({'train': it}, optimizer)
    with pytest.raises(RuntimeError, match='setup'):
        training.StandardUpdater(it, optimizers.SGD())
    with pytest.raises(KeyError, match="no optimizer named 'gen'"):
        training.StandardUpdater(it, optimizer).get_optimizer('gen')


class _TwoModelUpdater(training.updaters.StandardUpdater):
    """The DCGAN pattern: models given by keyword, several optimizers, own update_core."""

    def __init__(self, *args, **kwargs):
        self.a, self.b = kwargs.pop('models')
        super(_TwoModelUpdater, self).__init__(*args, **kwargs)

    def loss(self, link, x):
        loss = F.sum(link(x) ** 2) / len(x)
        dchain.report({'loss': loss}, link)
        return loss

    def update_core(self):
        opt_a = self.get_optimizer('a')
        opt_b = self.get_optimizer('b')
        batch = self.get_iterator('main').next()
        device = self.device
        x = dchain.Variable(self.converter(batch, device))
        assert device.xp is numpy
        opt_a.update(self.loss, self.a, x)
        opt_b.update(self.loss, self.b, x)


def test_subclass_with_several_optimizers_reports_per_model():
    a, b = L.Linear(3, 2), L.Linear(3, 2)
    opt_a = optimizers.SGD(lr=0.1).setup(a)
    opt_b = optimizers.Adam().setup(b)
    data = numpy.random.RandomState(0).randn(8, 3).astype(numpy.float32)
    it = iterators.SerialIterator(data, 4)
    updater = _TwoModelUpdater(iterator=it, optimizer={'a': opt_a, 'b': opt_b},
                               device=-1, models=(a, b))
    trainer = training.Trainer(updater, (2, 'iteration'))
    losses = []
    trainer.extend(lambda tr: losses.append(sorted(tr.observation)), name='probe')
    trainer.run()
    assert losses[0] == ['a/loss', 'b/loss']
    assert opt_a.t == 2 and opt_b.t == 2
