"""StandardUpdater: one minibatch, one forward/backward, one optimizer step per iteration."""
from dchain import backend
from dchain.dataset import convert
from dchain.training import updater as updater_module


class StandardUpdater(updater_module.Updater):
    """The usual training step.

    Each ``update()`` takes a batch from the ``'main'`` iterator, converts it with
    ``converter`` onto ``device``, and calls ``optimizer.update(loss_func, *arrays)`` (the
    arrays are passed by keyword when the converter returns a dict). Override
    :meth:`update_core` for other steps (GANs, several optimizers).

    Args:
        iterator: an iterator, or a dict of them (one must be ``'main'``).
        optimizer: an optimizer, or a dict of them (the default step uses ``'main'``; a
            subclass with its own :meth:`update_core` may name them freely).
        converter: ``converter(batch, device)`` making the arrays of a minibatch.
        device: where the model and the minibatches go (``-1``/``'@numpy'`` or a GPU); the
            targets of all optimizers are moved there. None leaves everything where it is.
        loss_func: the loss function; the ``'main'`` optimizer's target when None.
        loss_scale (float): loss scaling for low-precision training.
        auto_new_epoch (bool): call ``optimizer.new_epoch(auto=True)`` when the ``'main'``
            iterator starts a new epoch.
        input_device: where minibatches go, if it differs from ``device``.

    Attributes:
        iteration (int): updates done so far.
        device: the :class:`dchain.backend.Device` (None when not given).
        converter, loss_func, auto_new_epoch: as given.
    """

    def __init__(self, iterator, optimizer, converter=convert.concat_examples, device=None,
                 loss_func=None, loss_scale=None, auto_new_epoch=True, *, input_device=None):
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        if 'main' not in iterator:
            raise ValueError("the iterator dict must have a 'main' entry; got keys {}".format(
                sorted(iterator)))
        if not isinstance(optimizer, dict):
            optimizer = {'main': optimizer}
        for name, opt in optimizer.items():
            if getattr(opt, 'target', None) is None:
                raise RuntimeError('optimizer {!r} has no target: call optimizer.setup(model) '
                                   'before building the updater'.format(name))
        if device is not None:
            device = backend.get_device(device)
            for opt in optimizer.values():
                opt.target.to_device(device)
        self.device = device
        self.input_device = device if input_device is None else backend.get_device(
            input_device)
        self._iterators = iterator
        self._optimizers = optimizer
        self.converter = converter
        self.loss_func = loss_func
        self.iteration = 0
        self.auto_new_epoch = auto_new_epoch
        if auto_new_epoch:
            for opt in optimizer.values():
                opt.use_auto_new_epoch = True
        if loss_scale is not None:
            for opt in optimizer.values():
                opt.set_loss_scale(loss_scale)

    # -- progress --------------------------------------------------------------------------
    @property
    def epoch(self):
        return self._iterators['main'].epoch

    @property
    def epoch_detail(self):
        return self._iterators['main'].epoch_detail

    @property
    def previous_epoch_detail(self):
        return getattr(self._iterators['main'], 'previous_epoch_detail', None)

    @property
    def is_new_epoch(self):
        return self._iterators['main'].is_new_epoch

    # -- access ----------------------------------------------------------------------------
    def get_optimizer(self, name):
        """The optimizer called ``name``."""
        try:
            return self._optimizers[name]
        except KeyError:
            raise KeyError('no optimizer named {!r}; this updater has {}'.format(
                name, sorted(self._optimizers))) from None

    def get_all_optimizers(self):
        """Dict of all optimizers by name."""
        return dict(self._optimizers)

    def get_iterator(self, name):
        """The iterator called ``name``."""
        try:
            return self._iterators[name]
        except KeyError:
            raise KeyError('no iterator named {!r}; this updater has {}'.format(
                name, sorted(self._iterators))) from None

    # -- the step --------------------------------------------------------------------------
    def update(self):
        """Do one training step and count it."""
        self.update_core()
        self.iteration += 1

    def update_core(self):
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = convert._call_converter(self.converter, batch, self.input_device)
        try:
            optimizer = self._optimizers['main']
        except KeyError:
            raise KeyError("StandardUpdater's step uses the optimizer 'main', but the "
                           'optimizers are {}; name one \'main\' or override update_core'
                           .format(sorted(self._optimizers))) from None
        loss_func = self.loss_func or optimizer.target
        if isinstance(in_arrays, tuple):
            optimizer.update(loss_func, *in_arrays)
        elif isinstance(in_arrays, dict):
            optimizer.update(loss_func, **in_arrays)
        else:
            optimizer.update(loss_func, in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def finalize(self):
        for iterator in self._iterators.values():
            finalize = getattr(iterator, 'finalize', None)
            if finalize is not None:
                finalize()

    def serialize(self, serializer):
        """Save or load the iterators, optimizers, models and the iteration count."""
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer['iterator:' + name])
        for name, optimizer in self._optimizers.items():
            optimizer.serialize(serializer['optimizer:' + name])
            optimizer.target.serialize(serializer['model:' + name])
        self.iteration = int(serializer('iteration', self.iteration))

    def get_all_iterators(self):
        """Dict of all iterators by name."""
        return dict(self._iterators)
