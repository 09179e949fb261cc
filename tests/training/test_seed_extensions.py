"""The seed's "Trainer Extensions" section: a plain function, a make_extension function and
an Extension subclass (its PolynomialShift, with the minus sign the seed text lost)."""
import numpy as np
import pytest

from dchain import training


def lr_drop(trainer):
    trainer.updater.get_optimizer('main').lr *= 0.1


@training.make_extension(trigger=(2, 'epoch'))
def lr_drop_every_two(trainer):
    trainer.updater.get_optimizer('main').lr *= 0.1


class PolynomialShift(training.Extension):

    def __init__(self, attr, power, stop_trigger, batchsize=None,
                 len_dataset=None):
        self._attr = attr
        self._power = power
        self._init = None
        self._t = 0
        self._last_value = 0

        if stop_trigger[1] == 'iteration':
            self._maxiter = stop_trigger[0]
        elif stop_trigger[1] == 'epoch':
            if batchsize is None or len_dataset is None:
                raise ValueError(
                    'When the unit of \'stop_trigger\' is \'epoch\', '
                    '\'batchsize\' and \'len_dataset\' should be '
                    'specified to calculate the maximum iteration.')
            n_iter_per_epoch = len_dataset / float(batchsize)
            self._maxiter = float(stop_trigger[0] * n_iter_per_epoch)

    def initialize(self, trainer):
        optimizer = trainer.updater.get_optimizer('main')
        # ensure that _init is set
        if self._init is None:
            self._init = getattr(optimizer, self._attr)

    def __call__(self, trainer):
        self._t += 1

        optimizer = trainer.updater.get_optimizer('main')
        value = self._init * ((1 - (self._t / self._maxiter)) ** self._power)
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def serialize(self, serializer):
        self._t = serializer('_t', self._t)
        self._last_value = serializer('_last_value', self._last_value)
        if isinstance(self._last_value, np.ndarray):
            self._last_value = self._last_value.item()


def test_plain_function_with_trigger(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, 'epoch'))
    trainer.extend(lr_drop, trigger=(1, 'epoch'))
    trainer.run()
    assert trainer.updater.get_optimizer('main').lr == pytest.approx(0.1 * 0.1 ** 3)


def test_make_extension_default_trigger(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(4, 'epoch'))
    trainer.extend(lr_drop_every_two)
    trainer.run()
    assert trainer.updater.get_optimizer('main').lr == pytest.approx(0.1 * 0.1 ** 2)


def test_seed_polynomial_shift_class(make_trainer, tmp_path):
    stop_trigger = (20, 'iteration')
    trainer = make_trainer(tmp_path, stop=stop_trigger)
    trainer.extend(PolynomialShift('lr', 0.5, stop_trigger))
    lrs = []
    trainer.extend(lambda tr: lrs.append(tr.updater.get_optimizer('main').lr), name='probe',
                   priority=-1)
    trainer.run()
    assert lrs[9] == pytest.approx(0.1 * (1 - 10 / 20) ** 0.5)
    assert lrs[-1] == 0
    with pytest.raises(ValueError, match='batchsize'):
        PolynomialShift('lr', 0.5, (2, 'epoch'))
