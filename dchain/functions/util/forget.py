"""Forget (``F.forget``): drop a sub-graph's intermediates and recompute them in backward."""
import numpy

from dchain import _backprop
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.config import config, force_backprop_mode, no_backprop_mode


def _call_func(func, xs):
    outs = func(*xs)
    if isinstance(outs, variable.Variable):
        return (outs,)
    if isinstance(outs, tuple):
        for i, y in enumerate(outs):
            if not isinstance(y, variable.Variable):
                raise RuntimeError('forget: element {} of the tuple returned by the function '
                                   'is not a Variable but {}'.format(i, type(y).__name__))
        return outs
    raise RuntimeError('forget: the function must return a Variable or a tuple of Variables, '
                       'not {}'.format(type(outs).__name__))


class _RandomState:
    """The host random state at forward time, replayed around every recomputation.

    Recomputing a function that samples (dropout) then draws the same numbers as the
    forward pass did, so the recomputed graph matches the forgotten one.
    """

    def __init__(self):
        self.state = numpy.random.get_state()

    def __enter__(self):
        self.saved = numpy.random.get_state()
        numpy.random.set_state(self.state)

    def __exit__(self, *exc):
        numpy.random.set_state(self.saved)
        return False


class _VectorJacobianProduct:
    """``(xs, gys) -> gradients of func at xs``, itself a function Forget can wrap.

    The gradients are built as a graph only when the caller records one (double backprop),
    which is what lets Forget differentiate its backward any number of times.
    """

    def __init__(self, func, n_inputs, float_indexes, random_state):
        self.func = func
        self.n_inputs = n_inputs
        self.float_indexes = float_indexes
        self.random_state = random_state

    def __call__(self, *args):
        xs = args[:self.n_inputs]
        gys = args[self.n_inputs:]
        create_graph = config.enable_backprop
        targets = [xs[i] for i in self.float_indexes]
        with self.random_state, force_backprop_mode():
            outs = _call_func(self.func, xs)
            gxs = _backprop.grad(list(outs), targets, list(gys),
                                 enable_double_backprop=create_graph)
        ret = []
        for x, gx in zip(targets, gxs):
            if gx is None:
                gx = variable.Variable(utils.get_xp(x.array).zeros_like(x.array),
                                       requires_grad=False)
            ret.append(gx)
        return tuple(ret)


class Forget(function_node.FunctionNode):
    """Runs ``func`` without keeping its graph; backward recomputes it to get gradients."""

    def __init__(self, func):
        if not callable(func):
            raise TypeError('forget: func must be callable, got {}'.format(type(func).__name__))
        self.func = func

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        self._random_state = _RandomState()
        with no_backprop_mode():
            outs = _call_func(self.func, [variable.Variable(x) for x in inputs])
        ys = []
        for y in outs:
            y = y.array
            # An output may be an input passed through; never hand out the input's array.
            if any(y is x for x in inputs):
                y = y.copy()
            ys.append(y)
        self._out_meta = [(y.shape, y.dtype) for y in ys]
        return tuple(ys)

    def backward(self, indexes, grad_outputs):
        inputs = self.get_retained_inputs()
        xp = utils.get_xp(inputs[0].array) if inputs else numpy
        gys = []
        for gy, (shape, dtype) in zip(grad_outputs, self._out_meta):
            gys.append(xp.zeros(shape, dtype) if gy is None else gy)
        float_indexes = [i for i, x in enumerate(inputs) if x.dtype.kind == 'f']
        vjp = _VectorJacobianProduct(self.func, len(inputs), float_indexes,
                                     self._random_state)
        gxs = Forget(vjp).apply(tuple(inputs) + tuple(gys))
        result = [None] * len(inputs)
        for i, gx in zip(float_indexes, gxs):
            result[i] = gx
        return tuple(result[i] for i in indexes)


def forget(func, *xs):
    """Call ``func(*xs)`` without keeping its intermediate values; recompute them in backward.

    The intermediate results of ``func`` are freed as soon as the forward pass returns, and
    ``func`` runs again during backward to get the gradients: memory for time. The result
    can be differentiated again (double backprop), and random draws made with
    ``numpy.random`` (such as dropout masks on the CPU) are replayed identically when the
    function is recomputed.

    Args:
        func (callable): takes Variables, returns a Variable or a tuple of Variables. It must
            compute the same thing every time it is called with the same inputs.
        xs (Variables or arrays): the arguments of ``func``.

    Returns:
        Variable, or a tuple of Variables when ``func`` returns a tuple.
    """
    outs = Forget(func).apply(xs)
    return outs[0] if len(outs) == 1 else outs
