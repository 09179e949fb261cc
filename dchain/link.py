"""Link, Chain and ChainList: the building blocks that own parameters.

A :class:`Link` owns Parameters and persistent values (non-trained state such as running
averages). A :class:`Chain` owns named child links; a :class:`ChainList` owns a list of them.
Attributes assigned inside ``with self.init_scope():`` are registered automatically.
"""
import contextlib
import copy as copy_module
import warnings

import numpy

from dchain import backend
from dchain import initializers
from dchain.variable import Parameter


class Link:
    """A parametrized building block of a model.

    Args:
        params: ``name=shape`` or ``name=(shape, dtype)`` pairs registering uninitialized-by-NaN
            parameters (Chainer's old form; prefer ``init_scope``).
    """

    def __init__(self, **params):
        d = self.__dict__
        d['_params'] = []
        d['_persistent'] = []
        d['_within_init_scope'] = False
        d['name'] = None
        d['_device'] = backend.cpu_device
        for name, value in params.items():
            if isinstance(value, tuple) and len(value) == 2 and not isinstance(value[0], int):
                self.add_param(name, value[0], dtype=value[1])
            else:
                self.add_param(name, value)

    # ------------------------------------------------------------------ registration
    @property
    def within_init_scope(self):
        """True inside :meth:`init_scope`."""
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self):
        """Context in which assigned Parameters (and links, in a Chain) are registered."""
        old = self.__dict__.get('_within_init_scope', False)
        self.__dict__['_within_init_scope'] = True
        try:
            yield
        finally:
            self.__dict__['_within_init_scope'] = old

    def _check_init_called(self):
        if '_params' not in self.__dict__:
            raise RuntimeError(
                '{}.__init__ did not call super().__init__(); call it before assigning '
                'attributes'.format(type(self).__name__))

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Parameter):
            self._check_init_called()
            value.name = name
            if self.__dict__['_device'] != backend.cpu_device:
                value.to_device(self.__dict__['_device'])
            if name not in self._params:
                self._params.append(name)
            if name in self._persistent:
                self._persistent.remove(name)
        elif '_params' in self.__dict__ and name in self._params and \
                not isinstance(value, Parameter):
            self._params.remove(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in self.__dict__.get('_params', ()):
            self._params.remove(name)
        if name in self.__dict__.get('_persistent', ()):
            self._persistent.remove(name)
        super().__delattr__(name)

    def add_param(self, name, shape=None, dtype=numpy.float32, initializer=None):
        """Register a new Parameter ``name`` (uninitialized when ``shape`` is None)."""
        self._check_init_called()
        if name in self.__dict__:
            raise AttributeError('cannot register a new parameter {!r}: the attribute already '
                                 'exists'.format(name))
        if initializer is None:
            initializer = initializers.NaN(dtype)
        param = Parameter(initializer, shape)
        with self.init_scope():
            setattr(self, name, param)

    def add_persistent(self, name, value):
        """Register ``value`` as persistent (serialized and moved with the link, not trained)."""
        self._check_init_called()
        if name in self.__dict__:
            raise AttributeError('cannot register a new persistent value {!r}: the attribute '
                                 'already exists'.format(name))
        self._persistent.append(name)
        super().__setattr__(name, value)

    def register_persistent(self, name):
        """Mark an existing attribute as persistent."""
        self._check_init_called()
        if not hasattr(self, name):
            raise AttributeError('cannot register non-existent attribute {!r} as a persistent '
                                 'value'.format(name))
        if name not in self._persistent:
            self._persistent.append(name)

    # ------------------------------------------------------------------ calling
    def __call__(self, *args, **kwargs):
        forward = getattr(self, 'forward', None)
        if forward is None:
            raise TypeError('{} defines neither forward nor __call__'.format(type(self).__name__))
        return forward(*args, **kwargs)

    # ------------------------------------------------------------------ traversal
    def params(self, include_uninit=True):
        """All parameters of this link and its descendants."""
        d = self.__dict__
        for name in self._params:
            if include_uninit or d[name].array is not None:
                yield d[name]

    def namedparams(self, include_uninit=True):
        """``(path, parameter)`` pairs, paths like ``'/l1/W'``."""
        d = self.__dict__
        for name in self._params:
            if include_uninit or d[name].array is not None:
                yield '/' + name, d[name]

    def links(self, skipself=False):
        """This link (unless ``skipself``) and all descendants."""
        if not skipself:
            yield self

    def namedlinks(self, skipself=False):
        """``(path, link)`` pairs; this link is ``'/'``."""
        if not skipself:
            yield '/', self

    def children(self):
        """Direct child links."""
        return iter(())

    def count_params(self):
        """Number of scalar parameters (uninitialized ones count as zero, with a warning)."""
        size = 0
        for name, param in self.namedparams():
            if param.array is None:
                warnings.warn('parameter {!r} of {} is not initialized; it is not counted'
                              .format(name, type(self).__name__))
                continue
            size += param.size
        return size

    # ------------------------------------------------------------------ gradients
    def cleargrads(self):
        """Set every parameter's gradient to None (the next backward starts from zero)."""
        for param in self.params():
            param.cleargrad()

    def zerograds(self):
        """Fill every gradient with zeros (prefer :meth:`cleargrads`)."""
        warnings.warn('Link.zerograds is deprecated; use Link.cleargrads instead',
                      DeprecationWarning)
        for param in self.params():
            param.zerograd()

    def addgrads(self, link):
        """Add the gradients of ``link`` (same structure) to this link's."""
        src = dict(link.namedparams())
        for name, param in self.namedparams():
            if name not in src:
                raise ValueError('addgrads: the source link has no parameter {!r}'.format(name))
            param.addgrad(src[name])

    def copyparams(self, link, copy_persistent=True):
        """Copy parameter (and persistent) values from ``link`` into this link, in place."""
        src = dict(link.namedparams())
        for name, dst in self.namedparams():
            if name not in src:
                raise ValueError('copyparams: the source link has no parameter {!r}'.format(
                    name))
            s = src[name].array
            if s is None:
                continue
            if dst.array is None:
                dst.initialize(s.shape)
            if dst.array.shape != s.shape:
                raise ValueError('copyparams: parameter {!r} has shape {} here but {} in the '
                                 'source'.format(name, dst.array.shape, s.shape))
            backend.copyto(dst.array, s)
        if copy_persistent:
            src_links = dict(link.namedlinks())
            for path, dst_link in self.namedlinks():
                src_link = src_links.get(path)
                if src_link is None:
                    continue
                for name in dst_link._persistent:
                    value = src_link.__dict__.get(name)
                    current = dst_link.__dict__[name]
                    if isinstance(current, numpy.ndarray) or backend._gpu.cupy is not None and \
                            isinstance(current, backend._gpu.cupy.ndarray):
                        backend.copyto(current, value)
                    else:
                        dst_link.__dict__[name] = copy_module.deepcopy(value)

    def enable_update(self):
        """Let optimizers update every parameter of this link."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None:
                rule.enabled = True

    def disable_update(self):
        """Freeze every parameter of this link (optimizers skip them)."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None:
                rule.enabled = False

    @property
    def update_enabled(self):
        """True if any parameter would be updated by its optimizer."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None and rule.enabled:
                return True
        return False

    # ------------------------------------------------------------------ copies
    def copy(self, mode='share'):
        """Copy this link.

        Args:
            mode (str): ``'share'``: new Parameter objects sharing the arrays (gradients are
                not shared); ``'copy'``: deep copy of all arrays; ``'init'``: deep copy with
                parameters re-initialized by their initializers.
        """
        if mode == 'share':
            ret = copy_module.copy(self)
            d = ret.__dict__
            d['_params'] = list(self._params)
            d['_persistent'] = list(self._persistent)
            d['name'] = None
            for name in ret._params:
                p = copy_module.copy(d[name])
                p.cleargrad()
                d[name] = p
            return ret
        if mode == 'copy':
            return copy_module.deepcopy(self)
        if mode == 'init':
            ret = copy_module.deepcopy(self)
            for param in ret.params(include_uninit=False):
                param.initialize(param.shape)
            return ret
        raise ValueError("copy mode must be 'share', 'copy' or 'init', got {!r}".format(mode))

    def repeat(self, n_repeat, mode='init'):
        """A :class:`dchain.Sequential` of ``n_repeat`` copies of this link (see :meth:`copy`)."""
        from dchain.sequential import Sequential
        if n_repeat <= 0:
            return Sequential()
        return Sequential(*[self.copy(mode) for _ in range(n_repeat)])

    # ------------------------------------------------------------------ devices
    @property
    def device(self):
        """The :class:`dchain.backend.Device` this link's arrays live on."""
        return self._device

    @property
    def xp(self):
        """Array module of this link's device."""
        return self._device.xp

    def to_device(self, device):
        """Move every parameter and persistent array of this link and its children.

        Children are moved through their own ``to_device``, so a link that keeps other
        device-resident state can override it to move that state too.
        """
        device = backend.get_device(device)
        d = self.__dict__
        for name in self._params:
            d[name].to_device(device)
        for name in self._persistent:
            value = d[name]
            if isinstance(value, numpy.ndarray) or backend._gpu.cupy is not None and \
                    isinstance(value, backend._gpu.cupy.ndarray):
                d[name] = device.send(value)
        d['_device'] = device
        for child in self.children():
            child.to_device(device)
        return self

    def to_cpu(self):
        """Move to host memory."""
        return self.to_device(backend.cpu_device)

    def to_gpu(self, device=None):
        """Move to a GPU (the current one when ``device`` is None)."""
        backend.check_cuda_available()
        if device is None:
            device = backend._gpu.cupy.cuda.Device().id
        return self.to_device(getattr(device, 'id', device))

    def to_intel64(self):
        raise ValueError('iDeep (intel64) is not supported by dchain; use to_cpu()')

    # ------------------------------------------------------------------ serialization
    def serialize(self, serializer):
        """Save or load parameters and persistent values through ``serializer``."""
        d = self.__dict__
        for name in self._params:
            param = d[name]
            data = serializer(name, param.array)
            if param.array is None and data is not None:
                # Loading into a not-yet-initialized parameter: initialize from the file.
                param.initialize(data.shape)
                backend.copyto(param.array, data)
        for name in self._persistent:
            d[name] = serializer(name, d[name])

    # ------------------------------------------------------------------ display
    def printable_specs(self):
        """``(name, value)`` pairs shown in ``repr``; links override to show their config."""
        return iter(())

    def __repr__(self):
        specs = ', '.join('{}={}'.format(k, v) for k, v in self.printable_specs())
        return '{}({})'.format(type(self).__name__, specs)


class Chain(Link):
    """A link made of named child links (registered inside ``init_scope``)."""

    def __init__(self, **links):
        super().__init__()
        self.__dict__['_children'] = []
        for name, link in links.items():
            self.add_link(name, link)

    def __getitem__(self, name):
        """The child link (or any attribute) called ``name``."""
        return getattr(self, name)

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Link):
            if '_children' not in self.__dict__:
                raise RuntimeError('{}.__init__ did not call super().__init__()'.format(
                    type(self).__name__))
            if value is self:
                raise ValueError('a Chain cannot contain itself')
            value.name = name
            if name not in self._children:
                self._children.append(name)
        elif name in self.__dict__.get('_children', ()) and not isinstance(value, Link):
            self._children.remove(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in self.__dict__.get('_children', ()):
            self._children.remove(name)
        super().__delattr__(name)

    def add_link(self, name, link):
        """Register ``link`` as the child ``name``."""
        if name in self.__dict__:
            raise AttributeError('cannot register a new link {!r}: the attribute already '
                                 'exists'.format(name))
        if not isinstance(link, Link):
            raise TypeError('cannot register a non-link object {!r} as a child'.format(link))
        with self.init_scope():
            setattr(self, name, link)

    def params(self, include_uninit=True):
        yield from super().params(include_uninit)
        d = self.__dict__
        for name in self._children:
            yield from d[name].params(include_uninit)

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        d = self.__dict__
        for name in self._children:
            prefix = '/' + name
            for path, param in d[name].namedparams(include_uninit):
                yield prefix + path, param

    def links(self, skipself=False):
        if not skipself:
            yield self
        d = self.__dict__
        for name in self._children:
            yield from d[name].links()

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        d = self.__dict__
        for name in self._children:
            child = d[name]
            prefix = '/' + name
            yield prefix, child
            for path, link in child.namedlinks(skipself=True):
                yield prefix + path, link

    def children(self):
        d = self.__dict__
        for name in self._children:
            yield d[name]

    def copy(self, mode='share'):
        ret = super().copy(mode)
        if mode == 'share':
            d = ret.__dict__
            d['_children'] = list(self._children)
            for name in ret._children:
                child = d[name].copy(mode)
                child.name = name
                d[name] = child
        return ret

    def serialize(self, serializer):
        super().serialize(serializer)
        d = self.__dict__
        for name in self._children:
            d[name].serialize(serializer[name])

    def __repr__(self):
        lines = ['{}('.format(type(self).__name__)]
        for name in self._children:
            child = repr(self.__dict__[name]).replace('\n', '\n  ')
            lines.append('  ({}): {},'.format(name, child))
        lines.append(')')
        return '\n'.join(lines) if self._children else super().__repr__()


class ChainList(Link):
    """A link made of an ordered list of child links."""

    def __init__(self, *links):
        super().__init__()
        self.__dict__['_children'] = []
        for link in links:
            self.add_link(link)

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Link):
            raise TypeError('cannot register a link as an attribute of a ChainList; use '
                            'append() or add_link()')
        super().__setattr__(name, value)

    def __getitem__(self, index):
        return self._children[index]

    def __iter__(self):
        return iter(self._children)

    def __len__(self):
        return len(self._children)

    def add_link(self, link):
        """Append ``link`` as the next child (named by its index)."""
        if not isinstance(link, Link):
            raise TypeError('cannot register a non-link object {!r} as a child'.format(link))
        link.name = str(len(self._children))
        if self._device != backend.cpu_device:
            link.to_device(self._device)
        self._children.append(link)

    def append(self, link):
        """Same as :meth:`add_link`."""
        self.add_link(link)

    def params(self, include_uninit=True):
        yield from super().params(include_uninit)
        for child in self._children:
            yield from child.params(include_uninit)

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        for i, child in enumerate(self._children):
            prefix = '/{}'.format(i)
            for path, param in child.namedparams(include_uninit):
                yield prefix + path, param

    def links(self, skipself=False):
        if not skipself:
            yield self
        for child in self._children:
            yield from child.links()

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        for i, child in enumerate(self._children):
            prefix = '/{}'.format(i)
            yield prefix, child
            for path, link in child.namedlinks(skipself=True):
                yield prefix + path, link

    def children(self):
        return iter(self._children)

    def copy(self, mode='share'):
        ret = super().copy(mode)
        if mode == 'share':
            children = [child.copy(mode) for child in self._children]
            for i, child in enumerate(children):
                child.name = str(i)
            ret.__dict__['_children'] = children
        return ret

    def serialize(self, serializer):
        super().serialize(serializer)
        for i, child in enumerate(self._children):
            child.serialize(serializer[str(i)])

    def __repr__(self):
        if not self._children:
            return super().__repr__()
        lines = ['{}('.format(type(self).__name__)]
        for i, child in enumerate(self._children):
            lines.append('  ({}): {},'.format(i, repr(child).replace('\n', '\n  ')))
        lines.append(')')
        return '\n'.join(lines)

