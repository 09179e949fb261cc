"""ParallelUpdater: data parallelism over several devices of one process.

The ``'main'`` model lives on ``devices['main']``; a copy of it lives on every other device.
Each iteration splits the minibatch among the copies, back-propagates each part, sums the
gradients into the main model, updates it, and copies the new parameters back to the copies,
as the seeds describe. Device specifiers may be CPU ones (``'@numpy'``), which makes the
updater testable without GPUs.
"""
from dchain import backend
from dchain.dataset import convert
from dchain.training.updaters.standard_updater import StandardUpdater


class ParallelUpdater(StandardUpdater):
    """Split each minibatch over ``devices`` and train one model.

    Args:
        iterator, optimizer, converter, loss_func, loss_scale, auto_new_epoch: as in
            :class:`StandardUpdater`.
        models (dict): ``{name: model}`` already placed on their devices (``'main'`` must be
            the optimizer's target). Give either ``models`` or ``devices``.
        devices (dict): ``{name: device}``; the optimizer's target goes to
            ``devices['main']`` and a copy of it to each other device.
    """

    def __init__(self, iterator, optimizer, converter=convert.concat_examples, models=None,
                 devices=None, loss_func=None, loss_scale=None, auto_new_epoch=True):
        super().__init__(iterator, optimizer, converter=converter, loss_func=loss_func,
                         loss_scale=loss_scale, auto_new_epoch=auto_new_epoch)
        if (models is None) == (devices is None):
            raise ValueError('ParallelUpdater needs exactly one of models and devices')
        target = self._optimizers['main'].target
        if models is None:
            if 'main' not in devices:
                raise ValueError("devices must have a 'main' entry; got {}".format(
                    sorted(devices)))
            devices = {name: backend.get_device(d) for name, d in devices.items()}
            target.to_device(devices['main'])
            models = {'main': target}
            for name, device in devices.items():
                if name != 'main':
                    models[name] = target.copy().to_device(device)
        else:
            if 'main' not in models:
                raise ValueError("models must have a 'main' entry; got {}".format(
                    sorted(models)))
            if models['main'] is not target:
                raise ValueError("models['main'] must be the optimizer's target")
            devices = {name: model.device for name, model in models.items()}
        self._models = models
        self._devices = devices
        self.device = devices['main']

    def connect_trainer(self, trainer):
        # Report every copy's observations under the main model's name.
        for name, model in self._models.items():
            if name != 'main':
                trainer.reporter.add_observer('main', model)
                trainer.reporter.add_observers('main', model.namedlinks(skipself=True))

    def update_core(self):
        optimizer = self._optimizers['main']
        iterator = self._iterators['main']
        batch = iterator.next()
        n = len(self._models)
        if len(batch) < n:
            raise ValueError('a minibatch of {} examples cannot be split over {} devices'.format(
                len(batch), n))
        names = sorted(self._models, key=lambda k: (k != 'main', k))
        losses = []
        for i, name in enumerate(names):
            part = batch[i * len(batch) // n:(i + 1) * len(batch) // n]
            in_arrays = convert._call_converter(self.converter, part, self._devices[name])
            loss_func = self.loss_func or self._models[name]
            if isinstance(in_arrays, tuple):
                losses.append(loss_func(*in_arrays))
            elif isinstance(in_arrays, dict):
                losses.append(loss_func(**in_arrays))
            else:
                losses.append(loss_func(in_arrays))
        for model in self._models.values():
            model.cleargrads()
        for loss in losses:
            loss.backward(loss_scale=getattr(optimizer, '_loss_scale', None))
        main = self._models['main']
        for name in names[1:]:
            main.addgrads(self._models[name])
        optimizer.update()
        for name in names[1:]:
            self._models[name].copyparams(main)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)
