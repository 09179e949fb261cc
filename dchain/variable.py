"""Variable (an array with its place in the graph), VariableNode and Parameter.

A :class:`Variable` is what users hold. Its :class:`VariableNode` is what the graph holds: the
creator function, the rank, and the array only when a function retained it for backward. The
split lets activations be freed as soon as nothing needs them, while the graph stays intact.
"""
import numbers
import weakref

import numpy

from dchain import backend
from dchain.config import config

_ndarray = numpy.ndarray


def _is_supported_array(x):
    if isinstance(x, _ndarray):
        return True
    cupy = backend._gpu.cupy
    return cupy is not None and isinstance(x, cupy.ndarray)


class VariableNode:
    """The graph-side half of a Variable.

    Attributes:
        creator_node (FunctionNode or None): the function that produced it; None for leaves.
        rank (int): 0 for leaves, creator's rank + 1 otherwise.
        data: the array, kept only when a function retained it for backward.
        requires_grad (bool): whether gradients flow into this node.
    """

    __slots__ = ('_variable', 'creator_node', 'rank', 'data', 'name', 'requires_grad',
                 'shape', 'dtype', '__weakref__')

    def __init__(self, variable, name, requires_grad=True):
        self._variable = weakref.ref(variable)
        self.creator_node = None
        self.rank = 0
        self.data = None
        self.name = name
        self.requires_grad = requires_grad
        array = variable._array
        if array is None:
            self.shape = self.dtype = None
        else:
            self.shape = array.shape
            self.dtype = array.dtype

    @property
    def creator(self):
        node = self.creator_node
        if node is None:
            return None
        return getattr(node, '_function', node)

    @property
    def label(self):
        if self.shape is None:
            return 'None'
        if self.shape == ():
            return str(self.dtype)
        return '({}), {}'.format(', '.join(map(str, self.shape)), self.dtype)

    def get_variable(self, data=None):
        """The Variable of this node; a new one sharing the node if the original is gone."""
        var = self._variable()
        if var is not None and (data is None or var._array is data):
            return var
        if data is None:
            data = self.data
        var = Variable.__new__(Variable)
        var._array = data
        var._grad_var = None
        var._node = self
        return var

    def get_variable_or_none(self):
        return self._variable()

    def retain_data(self):
        var = self._variable()
        if var is None:
            raise RuntimeError('cannot retain the data of a node whose variable is gone')
        self.data = var._array

    def unchain(self):
        self.creator_node = None
        self.rank = 0

    def set_creator_node(self, creator_node):
        self.creator_node = creator_node
        self.rank = creator_node.rank + 1


class Variable:
    """An array that remembers how it was computed, so gradients can flow back through it.

    Args:
        data: initial array (numpy or cupy), or None.
        name (str): name shown in graph dumps and messages.
        grad: initial gradient array.
        requires_grad (bool): whether backward computes a gradient for it.
    """

    __slots__ = ('_array', '_grad_var', '_node', '__weakref__', '__dict__')
    __array_priority__ = 200  # numpy defers `array * variable` to Variable.__rmul__

    def __init__(self, data=None, name=None, grad=None, requires_grad=True):
        if data is not None and type(data) is not _ndarray and not _is_supported_array(data):
            raise TypeError(
                'Variable needs a numpy.ndarray or cupy.ndarray (or None), got {}; wrap Python '
                'numbers and lists with numpy.asarray(..., dtype=numpy.float32) first'.format(
                    type(data).__name__))
        self._array = data
        self._grad_var = None
        self._node = VariableNode(self, name, requires_grad)
        if grad is not None:
            self.grad = grad

    # ------------------------------------------------------------------ array and metadata
    @property
    def array(self):
        """The underlying array (numpy or cupy)."""
        return self._array

    @array.setter
    def array(self, value):
        if value is not None and not _is_supported_array(value):
            raise TypeError('Variable.array must be a numpy or cupy array, not {}'.format(
                type(value).__name__))
        self._array = value
        node = self._node
        if node.data is not None:
            node.data = value
        if value is not None:
            node.shape = value.shape
            node.dtype = value.dtype

    data = array

    @property
    def node(self):
        return self._node

    @property
    def name(self):
        return self._node.name

    @name.setter
    def name(self, name):
        self._node.name = name

    @property
    def creator(self):
        """The function that produced this variable (None for leaves)."""
        return self._node.creator

    @creator.setter
    def creator(self, func):
        self.set_creator(func)

    @property
    def creator_node(self):
        return self._node.creator_node

    @creator_node.setter
    def creator_node(self, func):
        self.set_creator_node(func)

    @property
    def rank(self):
        return self._node.rank

    @property
    def requires_grad(self):
        return self._node.requires_grad

    @property
    def shape(self):
        return self._array.shape

    @property
    def ndim(self):
        return self._array.ndim

    @property
    def size(self):
        return self._array.size

    @property
    def dtype(self):
        return self._array.dtype

    @property
    def label(self):
        return self._node.label

    @property
    def xp(self):
        """The array module (numpy or cupy) of this variable's array."""
        return backend.get_array_module(self._array)

    @property
    def device(self):
        """The :class:`dchain.backend.Device` this variable's array lives on."""
        return backend.get_device_from_array(self._array)

    def __len__(self):
        if self._array is None:
            raise TypeError('len() of an uninitialized Variable')
        return len(self._array)

    def item(self):
        """The value of a one-element variable as a Python scalar."""
        if self._array.size != 1:
            raise ValueError('item() needs a variable of one element; this one has shape {}'
                             .format(self._array.shape))
        return self._array.item()

    # ------------------------------------------------------------------ gradient
    @property
    def grad(self):
        """Gradient array, or None."""
        gv = self._grad_var
        return None if gv is None else gv._array

    @grad.setter
    def grad(self, g):
        if g is None:
            self._grad_var = None
            return
        self._check_grad(g)
        self._grad_var = Variable(g, requires_grad=False)

    @property
    def grad_var(self):
        """Gradient as a Variable (part of a graph after double backprop)."""
        return self._grad_var

    @grad_var.setter
    def grad_var(self, g):
        if g is not None:
            if not isinstance(g, Variable):
                raise TypeError('grad_var must be a Variable or None, got {}'.format(
                    type(g).__name__))
            self._check_grad(g._array)
        self._grad_var = g

    def _check_grad(self, g):
        if not _is_supported_array(g):
            raise TypeError('gradient must be a numpy or cupy array, got {}'.format(
                type(g).__name__))
        x = self._array
        if x is None:
            return
        if g.shape != x.shape:
            raise ValueError('gradient of shape {} does not match variable{} of shape {}'.format(
                g.shape, _name_suffix(self), x.shape))
        if g.dtype != x.dtype:
            raise TypeError('gradient of dtype {} does not match variable{} of dtype {}'.format(
                g.dtype, _name_suffix(self), x.dtype))
        if type(g) is not type(x):
            raise TypeError('gradient is a {} but variable{} holds a {}: they must live on one '
                            'device'.format(type(g).__name__, _name_suffix(self),
                                            type(x).__name__))

    def cleargrad(self):
        """Forget the gradient (set it to None)."""
        self._grad_var = None

    def zerograd(self):
        """Set the gradient to zeros (prefer :meth:`cleargrad`)."""
        if self._array is None:
            return
        xp = backend.get_array_module(self._array)
        self._grad_var = Variable(xp.zeros_like(self._array), requires_grad=False)

    def addgrad(self, var):
        """Add the gradient of ``var`` into this variable's, across devices if needed."""
        src = var.grad_var
        if src is None:
            return
        device = self.device
        g = device.send(src._array)
        if self._grad_var is None:
            self._grad_var = Variable(g.copy() if g is src._array else g, requires_grad=False)
        else:
            self._grad_var = Variable(self._grad_var._array + g, requires_grad=False)

    def backward(self, retain_grad=False, enable_double_backprop=False, loss_scale=None):
        """Back-propagate from this variable to every variable that led to it.

        Args:
            retain_grad (bool): keep gradients of intermediate variables too.
            enable_double_backprop (bool): record the backward computation as a graph so that
                gradients can be differentiated again.
            loss_scale (float): multiply the initial gradient by this (for mixed precision).

        A variable of one element starts with gradient 1; a larger one needs ``grad`` set.
        """
        from dchain import _backprop
        _backprop.backward((self,), retain_grad, enable_double_backprop, loss_scale)

    # ------------------------------------------------------------------ graph surgery
    def set_creator(self, gen_func):
        self.set_creator_node(getattr(gen_func, 'node', gen_func))

    def set_creator_node(self, fnode):
        self._node.set_creator_node(fnode)

    def unchain(self):
        """Forget the creator: this variable becomes a leaf (earlier graph can be freed)."""
        self._node.unchain()

    def unchain_backward(self):
        """Delete references between every function and variable behind this one."""
        seen = set()
        stack = [self._node.creator_node]
        self._node.unchain()
        while stack:
            func = stack.pop()
            if func is None or id(func) in seen:
                continue
            seen.add(id(func))
            for node in func.inputs or ():
                stack.append(node.creator_node)
            func.unchain()

    def retain_data(self):
        self._node.data = self._array

    # ------------------------------------------------------------------ devices
    def to_device(self, device):
        """Move the array (and gradient) to ``device`` (any specifier ``get_device`` accepts)."""
        device = backend.get_device(device)
        if self._array is not None:
            self._set_array_keep_node(device.send(self._array))
        gv = self._grad_var
        if gv is not None:
            gv._set_array_keep_node(device.send(gv._array))
        return self

    def _set_array_keep_node(self, array):
        self._array = array
        if self._node.data is not None:
            self._node.data = array

    def to_cpu(self):
        """Move to host memory (numpy)."""
        return self.to_device(backend.cpu_device)

    def to_gpu(self, device=None):
        """Move to a GPU (the current one when ``device`` is None)."""
        backend.check_cuda_available()
        if device is None:
            device = backend._gpu.cupy.cuda.Device().id
        return self.to_device(getattr(device, 'id', device))

    # ------------------------------------------------------------------ array-like methods
    def reshape(self, *shape):
        """Reshape (differentiably); accepts ``reshape(a, b)`` or ``reshape((a, b))``."""
        from dchain.functions.array.reshape import reshape
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return reshape(self, tuple(shape))

    def transpose(self, *axes):
        """Permute axes (differentiably); no arguments reverses them."""
        from dchain.functions.array.transpose import transpose
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)) or axes == (None,):
            axes = axes[0]
        return transpose(self, axes if axes else None)

    @property
    def T(self):
        """Transposed variable (axes reversed)."""
        return self.transpose()

    def __getitem__(self, slices):
        from dchain.functions.array.get_item import get_item
        return get_item(self, slices)

    # ------------------------------------------------------------------ display
    def __repr__(self):
        return _repr(self, repr)

    def __str__(self):
        return _repr(self, str)

    def summary(self):
        return '<variable{} shape={} dtype={}>'.format(
            _name_suffix(self), None if self._array is None else self._array.shape,
            None if self._array is None else self._array.dtype)

    def debug_print(self):
        """Summary with array statistics, for debugging."""
        lines = [self.summary()]
        a = self._array
        if a is not None and a.size:
            lines.append('- device: {}'.format(self.device))
            lines.append('- statistics: mean={:.8f}, std={:.8f}'.format(
                float(a.mean()), float(a.std())))
        g = self.grad
        lines.append('- grad: None' if g is None else
                     '- grad: mean={:.8f}, std={:.8f}'.format(float(g.mean()), float(g.std())))
        return '\n'.join(lines)

    def __eq__(self, other):
        raise NotImplementedError('comparison of Variables is not defined; compare their '
                                  'arrays (v.array == w.array)')

    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = object.__hash__

    def __bool__(self):
        if self._array is None:
            raise ValueError('truth value of an uninitialized Variable')
        return bool(self._array)

    def __copy__(self):
        new = Variable.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._array = self._array
        new._grad_var = self._grad_var
        new._node = VariableNode(new, self._node.name, self._node.requires_grad)
        return new

    def __getstate__(self):
        return {'array': self._array, 'grad': self.grad, 'name': self.name,
                'requires_grad': self.requires_grad, 'dict': dict(self.__dict__)}

    def __setstate__(self, state):
        self._array = state['array']
        self._grad_var = None
        self._node = VariableNode(self, state['name'], state['requires_grad'])
        self.__dict__.update(state['dict'])
        if state['grad'] is not None:
            self._grad_var = Variable(state['grad'], requires_grad=False)


_object_new = object.__new__
_weakref = weakref.ref


def _new_variable(array, requires_grad):
    """A Variable around a known-good array, without __init__'s checks (hot path of apply)."""
    var = _object_new(Variable)
    var._array = array
    var._grad_var = None
    node = _object_new(VariableNode)
    node._variable = _weakref(var)
    node.creator_node = None
    node.rank = 0
    node.data = None
    node.name = None
    node.requires_grad = requires_grad
    node.shape = array.shape
    node.dtype = array.dtype
    var._node = node
    return var


def _name_suffix(var):
    name = var._node.name
    return ' {}'.format(name) if name else ''


def _repr(var, fmt):
    prefix = 'variable{}('.format(_name_suffix(var))
    if var._array is None:
        return prefix + 'None)'
    body = numpy.array2string(backend.cpu_device.send(var._array), separator=', ',
                              prefix=prefix) if fmt is repr else \
        numpy.array2string(backend.cpu_device.send(var._array), prefix=prefix)
    return '{}{})'.format(prefix, body)


class Parameter(Variable):
    """A Variable that a Link owns and an optimizer updates.

    Args:
        initializer: an initializer (callable filling an array), a scalar, an array, or None
            (filled with NaN until initialized, as Chainer does).
        shape: shape to allocate now; when None (and ``initializer`` is not an array), the
            parameter stays uninitialized until :meth:`initialize` is called (lazy init).
        name (str): parameter name.
    """

    initializer = None
    update_rule = None
    _device = None

    def __init__(self, initializer=None, shape=None, name=None):
        from dchain import initializers
        if _is_supported_array(initializer):
            super().__init__(initializer, name=name)
            self.initializer = initializers.Constant(initializer)
            return
        if initializer is None:
            initializer = initializers.NaN()
        elif isinstance(initializer, numbers.Number):
            initializer = initializers.Constant(initializer)
        elif not callable(initializer):
            raise TypeError('Parameter initializer must be an initializer, a scalar or an '
                            'array, got {}'.format(type(initializer).__name__))
        self.initializer = initializer
        super().__init__(None, name=name)
        if shape is not None:
            self.initialize(shape)

    @property
    def dtype(self):
        if self._array is not None:
            return self._array.dtype
        dtype = getattr(self.initializer, 'dtype', None)
        return numpy.dtype(dtype) if dtype is not None else numpy.dtype(config.dtype)

    @property
    def is_initialized(self):
        return self._array is not None

    def initialize(self, shape):
        """Allocate the array of ``shape`` on the parameter's device and fill it."""
        from dchain import initializers
        device = self._device or backend.cpu_device
        array = initializers.generate_array(self.initializer, shape, device.xp,
                                            dtype=self.dtype, device=device)
        self.array = array
        # Distributed training makes lazily initialized replicas equal right here.
        for hook in self.__dict__.get('_initialize_hooks', ()):
            hook(self)

    def to_device(self, device):
        device = backend.get_device(device)
        self._device = device
        return super().to_device(device)

    @property
    def device(self):
        if self._array is None:
            return self._device or backend.cpu_device
        return backend.get_device_from_array(self._array)

    def cleargrad(self):
        self._grad_var = None

    def zerograd(self):
        if self._array is None:
            return
        super().zerograd()

    def update(self):
        """Update by this parameter's update rule (set by an optimizer)."""
        if self.update_rule is not None:
            self.update_rule.update(self)

    def __reduce__(self):
        return _recover_parameter, (self._array, self.name, self.grad, self.initializer,
                                    self.update_rule)

    def __copy__(self):
        new = super().__copy__()
        return new


def _recover_parameter(array, name, grad, initializer, update_rule):
    p = Parameter(initializer=initializer, name=name)
    p._array = array
    if array is not None:
        p._node.shape, p._node.dtype = array.shape, array.dtype
    if grad is not None:
        p._grad_var = Variable(grad, requires_grad=False)
    p.update_rule = update_rule
    return p


def as_variable(obj):
    """Return ``obj`` if it is a Variable, else wrap the array in one (no gradient)."""
    if isinstance(obj, Variable):
        return obj
    return Variable(obj, requires_grad=False)


def as_array(obj):
    """Return the array of a Variable, or the object itself."""
    return obj._array if isinstance(obj, Variable) else obj
