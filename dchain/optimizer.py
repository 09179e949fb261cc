"""Optimizer, UpdateRule and Hyperparameter: how parameters are changed from their gradients.

An :class:`Optimizer` is set up on a link; it gives each Parameter its own :class:`UpdateRule`
(``param.update_rule``) with a per-parameter ``state`` (moment estimates and the like) and a
:class:`Hyperparameter` that falls back to the optimizer's, so one parameter can be given its
own learning rate while the others follow a schedule set on the optimizer.
"""
import collections

import numpy

from dchain import backend
from dchain import link as link_module
from dchain import serializer as serializer_module
from dchain.variable import Variable


class Hyperparameter:
    """A set of hyperparameter values that falls back to a parent set.

    Reading an attribute not set here reads it from ``parent``; writing always sets it here.
    """

    def __init__(self, parent=None):
        self._parent = parent

    def __getattr__(self, name):
        # Only reached when ``name`` is not set here: walk up the parents' own values.
        parent = self.__dict__.get('_parent')
        while parent is not None:
            values = parent.__dict__
            if name in values:
                return values[name]
            parent = values.get('_parent')
        raise AttributeError('hyperparameter {!r} is not defined'.format(name))

    def __repr__(self):
        return 'Hyperparameter({})'.format(
            ', '.join('{}={!r}'.format(k, v) for k, v in sorted(self.get_dict().items())))

    @property
    def parent(self):
        """The Hyperparameter this one falls back to (or None)."""
        return self._parent

    def get_dict(self):
        """All values visible from here (own values override the parent's) as a dict."""
        d = {} if self._parent is None else self._parent.get_dict()
        d.update((k, v) for k, v in self.__dict__.items() if k != '_parent')
        return d


class HyperparameterProxy:
    """Class attribute that exposes ``optimizer.hyperparam.<name>`` as ``optimizer.<name>``.

    Extensions that schedule a hyperparameter (``ExponentialShift('lr', ...)``) set it this way.
    """

    def __init__(self, name):
        self.name = name
        self.__doc__ = 'Alias of ``self.hyperparam.{}``.'.format(name)

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        return getattr(obj.hyperparam, self.name)

    def __set__(self, obj, value):
        setattr(obj.hyperparam, self.name, value)


class UpdateRule:
    """How one parameter is updated.

    Subclasses implement :meth:`init_state` (create ``self.state`` entries shaped like the
    parameter) and :meth:`update_core_cpu` / :meth:`update_core_gpu` (or :meth:`update_core`),
    changing ``param.array`` in place.

    Attributes:
        enabled (bool): the parameter is updated only when True.
        t (int): number of updates done by this rule.
        hyperparam (Hyperparameter): this parameter's hyperparameters; values not set here come
            from the optimizer's.
    """

    def __init__(self, parent_hyperparam=None):
        self.hyperparam = Hyperparameter(parent_hyperparam)
        self.enabled = True
        self.t = 0
        self._state = None
        self._state_device = None
        self._hooks = collections.OrderedDict()
        self._use_fp32_update = False
        self._fp32_param = None

    @property
    def state(self):
        """Dict of per-parameter arrays (None until the first update creates it)."""
        return self._state

    def add_hook(self, hook, name=None):
        """Add ``hook(rule, param)``, called before every update of this parameter."""
        if not callable(hook):
            raise TypeError('update-rule hook must be callable, got {!r}'.format(hook))
        if name is None:
            name = getattr(hook, 'name', None) or getattr(hook, '__name__', None)
        if name is None:
            raise ValueError('the hook has no name; pass name=')
        if name in self._hooks:
            raise KeyError('update-rule hook {!r} already exists'.format(name))
        self._hooks[name] = hook

    def remove_hook(self, name):
        """Remove the hook called ``name``."""
        try:
            del self._hooks[name]
        except KeyError:
            raise KeyError('update-rule hook {!r} does not exist'.format(name)) from None

    def use_fp32_update(self, flag=True):
        """Keep a float32 master copy of a float16 parameter and update that instead.

        Small float16 steps would otherwise round away; the parameter receives the master
        copy cast back to float16 after each update.
        """
        self._use_fp32_update = flag

    def update(self, param):
        """Update ``param`` from its gradient (nothing happens without a gradient)."""
        if not self.enabled or param.array is None or param.grad is None:
            return
        self.t += 1
        target = param
        if self._use_fp32_update and param.array.dtype == numpy.float16:
            target = self._fp32_target(param)
        device = backend.get_device_from_array(param.array)
        if self._state is None:
            # create_context, not ``with device``: Device objects are shared and their own
            # __enter__/__exit__ do not nest.
            with device.create_context():
                self._state = {}
                self.init_state(target)
            self._state_device = device
        elif self._state_device != device:
            self._move_state_to(device)
        for hook in self._hooks.values():
            hook(self, target)
        with device.create_context():
            self.update_core(target)
        if target is not param:
            backend.copyto(param.array, target.array)
            target.grad = None

    def _fp32_target(self, param):
        master = self._fp32_param
        if master is None:
            master = self._fp32_param = Variable(param.array.astype(numpy.float32),
                                                 name=param.name)
        elif not backend.get_device_from_array(param.array).is_array_supported(master.array):
            master.array = backend.get_device_from_array(param.array).send(master.array)
        master.grad = param.grad.astype(numpy.float32)
        return master

    def _move_state_to(self, device):
        # A deserialized state lives on the host until the first update shows the device.
        state = self._state
        for key, value in state.items():
            if getattr(value, 'shape', None) is not None and \
                    not device.is_array_supported(value):
                state[key] = device.send(value)
        self._state_device = device

    def update_core(self, param):
        """Dispatch to :meth:`update_core_cpu` or :meth:`update_core_gpu`."""
        if isinstance(param.array, numpy.ndarray):
            self.update_core_cpu(param)
        else:
            self.update_core_gpu(param)

    def update_core_cpu(self, param):
        raise NotImplementedError('{} does not implement a CPU update'.format(
            type(self).__name__))

    def update_core_gpu(self, param):
        # Rules written with ``xp`` ufuncs run unchanged on cupy.
        self.update_core_cpu(param)

    def init_state(self, param):
        """Create the entries of ``self.state`` for ``param`` (nothing by default)."""

    def serialize(self, serializer):
        """Save or load ``t`` and the state arrays.

        When loading into a rule that has not updated yet, the state is created from the file
        (on the host; it moves to the parameter's device at the first update).
        """
        self.t = serializer('t', self.t)
        if self._use_fp32_update:
            self._serialize_fp32_param(serializer)
        if self._state is not None:
            for key in list(self._state):
                self._state[key] = serializer(key, self._state[key])
            return
        if not isinstance(serializer, serializer_module.Deserializer):
            return
        # Discover which state keys this rule has by initializing it on a dummy parameter.
        probe = numpy.zeros(1, dtype=numpy.float32)
        keys = self._state_keys(Variable(probe, grad=probe))
        state = {}
        for key in keys:
            try:
                value = serializer(key, None)
            except KeyError:
                if self.enabled and self.t > 0:
                    raise
                value = None
            if value is not None:
                state[key] = value
        # A partial state cannot be resumed from; the first update then starts it afresh.
        if len(state) == len(keys) and (keys or self.t > 0):
            self._state = state
            self._state_device = None

    def _serialize_fp32_param(self, serializer):
        master = self._fp32_param
        try:
            value = serializer('fp32_param', None if master is None else master.array)
        except KeyError:
            # Saved without a master copy (a float32 parameter, or before the first update):
            # the next update starts one from the parameter itself.
            return
        if master is None and value is not None:
            self._fp32_param = Variable(value)

    def _state_keys(self, dummy):
        saved, self._state = self._state, {}
        try:
            self.init_state(dummy)
            return list(self._state)
        finally:
            self._state = saved


class Optimizer:
    """Base of all optimizers.

    Attributes:
        target (Link): the link being optimized (set by :meth:`setup`).
        t (int): number of updates done.
        epoch (int): number of epochs done (advanced by :meth:`new_epoch`).
        use_auto_new_epoch (bool): True when an updater calls ``new_epoch(auto=True)``.
    """

    target = None
    t = 0
    epoch = 0
    use_auto_new_epoch = False
    _loss_scale = None
    _loss_scaling_is_dynamic = False

    def __init__(self):
        self.target = None
        self.t = 0
        self.epoch = 0
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()

    def _hook_tables(self):
        # Subclasses written Chainer-style may not call Optimizer.__init__.
        d = self.__dict__
        if '_pre_update_hooks' not in d:
            d['_pre_update_hooks'] = collections.OrderedDict()
            d['_post_update_hooks'] = collections.OrderedDict()
        return d['_pre_update_hooks'], d['_post_update_hooks']

    def _check_setup(self, what):
        if self.target is None:
            raise RuntimeError('{}.{}() was called before setup(): call optimizer.setup(model) '
                               'first'.format(type(self).__name__, what))

    def setup(self, link):
        """Make ``link`` the optimization target; returns ``self``."""
        if not isinstance(link, link_module.Link):
            raise TypeError('optimization target must be a dchain.Link, got {}'.format(
                type(link).__name__))
        self._hook_tables()
        self.target = link
        self.t = 0
        self.epoch = 0
        return self

    def update(self, lossfun=None, *args, **kwds):
        """Update the target's parameters (see :meth:`GradientMethod.update`)."""
        raise NotImplementedError

    def new_epoch(self, auto=False):
        """Count one more epoch.

        Args:
            auto (bool): True when called by an updater. Mixing automatic and manual calls is
                an error, since the epoch would be counted twice.
        """
        if self.use_auto_new_epoch and not auto:
            raise RuntimeError('new_epoch() is called by the updater for this optimizer; do '
                               'not call it by hand')
        if auto and not self.use_auto_new_epoch:
            raise RuntimeError('new_epoch(auto=True) needs optimizer.use_auto_new_epoch = True')
        self.epoch += 1

    def add_hook(self, hook, name=None, timing='auto'):
        """Register ``hook``, called at every update.

        A hook is ``hook(optimizer)``, or ``hook(update_rule, param)`` for every parameter if
        it has ``call_for_each_param = True``.

        Args:
            name (str): defaults to ``hook.name`` (or the function's name).
            timing (str): ``'pre'`` (after gradients, before the update rules), ``'post'``
                (after them), or ``'auto'``: ``hook.timing``, else ``'pre'``.
        """
        if not callable(hook):
            raise TypeError('optimizer hook must be callable, got {!r}'.format(hook))
        if timing not in ('pre', 'post', 'auto'):
            raise ValueError("timing must be 'pre', 'post' or 'auto', got {!r}".format(timing))
        if timing == 'auto':
            timing = getattr(hook, 'timing', 'pre')
            if timing not in ('pre', 'post'):
                raise ValueError("hook.timing must be 'pre' or 'post', got {!r}".format(timing))
        if name is None:
            name = getattr(hook, 'name', None) or getattr(hook, '__name__', None)
        if name is None:
            raise ValueError('the hook has no name; pass name=')
        pre, post = self._hook_tables()
        if name in pre or name in post:
            raise KeyError('optimizer hook {!r} already exists'.format(name))
        (pre if timing == 'pre' else post)[name] = hook

    def remove_hook(self, name):
        """Remove the hook called ``name``."""
        pre, post = self._hook_tables()
        for table in (pre, post):
            if name in table:
                del table[name]
                return
        raise KeyError('optimizer hook {!r} does not exist'.format(name))

    def call_hooks(self, timing='pre'):
        """Run the hooks registered for ``timing``."""
        pre, post = self._hook_tables()
        if timing not in ('pre', 'post'):
            raise ValueError("timing must be 'pre' or 'post', got {!r}".format(timing))
        for hook in list((pre if timing == 'pre' else post).values()):
            if getattr(hook, 'call_for_each_param', False):
                for param in self.target.params(include_uninit=False):
                    if param.update_rule is not None:
                        hook(param.update_rule, param)
            else:
                hook(self)
            self.reallocate_cleared_grads()

    def reallocate_cleared_grads(self):
        """Give every initialized parameter without a gradient a zero gradient."""
        for param in self.target.params(include_uninit=False):
            if param.grad is None:
                xp = backend.get_array_module(param.array)
                param.grad = xp.zeros_like(param.array)

    def set_loss_scale(self, loss_scale):
        """Scale the loss by ``loss_scale`` in :meth:`update` (gradients are unscaled before the
        hooks and update rules see them); None turns it off."""
        self._loss_scale = loss_scale
        self._loss_scaling_is_dynamic = False

    def loss_scaling(self, interval=1000, scale=None):
        """Dynamic loss scaling for float16 training.

        The loss is multiplied by the current scale (``scale``, default ``2**16``). An update
        whose gradients hold inf or NaN is skipped and halves the scale; ``interval`` clean
        updates in a row double it.
        """
        self._loss_scaling_is_dynamic = True
        self._loss_scale = float(2 ** 16 if scale is None else scale)
        self._loss_scale_interval = interval
        self._n_clean_updates = 0

    @property
    def loss_scale(self):
        """The current loss scale (None when loss scaling is off)."""
        return self._loss_scale

    def is_safe_to_update(self):
        """True if every gradient is finite."""
        for param in self.target.params(include_uninit=False):
            g = param.grad
            if g is not None and not bool(backend.get_array_module(g).isfinite(g).all()):
                return False
        return True

    def _adjust_loss_scale(self):
        # Returns False when this step must be skipped.
        if not self.is_safe_to_update():
            self._loss_scale = max(self._loss_scale / 2, 1.0)
            self._n_clean_updates = 0
            return False
        self._n_clean_updates += 1
        if self._n_clean_updates >= self._loss_scale_interval:
            self._loss_scale *= 2
            self._n_clean_updates = 0
        return True

    def serialize(self, serializer):
        """Save or load ``t``, ``epoch`` and every parameter's update-rule state."""
        self._check_setup('serialize')
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)
        if self._loss_scaling_is_dynamic:
            self._loss_scale = serializer('loss_scale', self._loss_scale)
            self._n_clean_updates = serializer('n_clean_updates', self._n_clean_updates)
        for name, param in self.target.namedparams():
            rule = param.update_rule
            if rule is not None:
                rule.serialize(serializer[name])


class GradientMethod(Optimizer):
    """Optimizer that updates each parameter from its gradient by its own UpdateRule.

    Subclasses implement :meth:`create_update_rule`.
    """

    def __init__(self):
        super().__init__()
        self.hyperparam = Hyperparameter()
        self._use_cleargrads = True
        self._use_fp32_update = False

    def setup(self, link):
        super().setup(link)
        for param in link.params():
            rule = self.create_update_rule()
            if self._use_fp32_update:
                rule.use_fp32_update()
            param.update_rule = rule
        return self

    def use_fp32_update(self, flag=True):
        """Update float16 parameters through float32 master copies (see
        :meth:`UpdateRule.use_fp32_update`); applies to current and future rules."""
        self._use_fp32_update = flag
        if self.target is not None:
            for param in self.target.params():
                if param.update_rule is not None:
                    param.update_rule.use_fp32_update(flag)

    def create_update_rule(self):
        """A new UpdateRule whose hyperparameters fall back to ``self.hyperparam``."""
        raise NotImplementedError

    def use_cleargrads(self, use=True):
        """Whether :meth:`update` clears gradients with ``cleargrads`` (True) or zero-fills them."""
        self._use_cleargrads = use

    def update(self, lossfun=None, *args, **kwds):
        """One optimization step.

        With ``lossfun``, first clears the gradients, computes ``loss = lossfun(*args, **kwds)``
        and back-propagates it; without, uses the gradients already there. Then runs the
        ``'pre'`` hooks, every parameter's update rule, and the ``'post'`` hooks.
        """
        self._check_setup('update')
        target = self.target
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if getattr(self, '_use_cleargrads', True):
                target.cleargrads()
            else:
                for param in target.params():
                    param.zerograd()
            loss.backward(loss_scale=self._loss_scale)
            del loss
        scale = self._loss_scale
        if self._loss_scaling_is_dynamic and not self._adjust_loss_scale():
            return
        if scale is not None:
            inv = 1.0 / scale
            for param in target.params(include_uninit=False):
                g = param.grad
                if g is not None:
                    g *= inv
        self.reallocate_cleared_grads()
        self.call_hooks('pre')
        self.t += 1
        for param in target.params():
            param.update()
        self.reallocate_cleared_grads()
        self.call_hooks('post')



# Chainer kept the hooks importable from here after moving them to optimizer_hooks.
from dchain.optimizer_hooks import (GradientClipping, GradientHardClipping,  # noqa: E402,F401
                                    GradientNoise, Lasso, WeightDecay)
