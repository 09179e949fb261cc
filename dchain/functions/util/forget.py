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


def _captured_leaves(outs, own_inputs):
    """Leaf variables that need a gradient and that ``outs`` depend on besides ``own_inputs``.

    These are the parameters of links called inside the function (and any other variable
    it closes over); they become explicit inputs of the Forget node so that their gradients
    flow through the ordinary backward walk.
    """
    own = {id(x.node) for x in own_inputs}
    seen_funcs = set()
    seen_nodes = set()
    leaves = []
    stack = [y.creator_node for y in outs if y.creator_node is not None]
    while stack:
        func = stack.pop()
        if id(func) in seen_funcs:
            continue
        seen_funcs.add(id(func))
        for node in func.inputs:
            if id(node) in seen_nodes:
                continue
            seen_nodes.add(id(node))
            if node.creator_node is not None:
                stack.append(node.creator_node)
            elif node.requires_grad and id(node) not in own:
                var = node.get_variable_or_none()
                if var is not None:
                    leaves.append(var)
    return leaves


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


def _substitute(args, bound):
    """``args`` with the variables the function really uses put at the bound positions."""
    if not bound:
        return list(args)
    return [bound.get(i, x) for i, x in enumerate(args)]


class _VectorJacobianProduct:
    """``(xs, gys) -> gradients of func at xs``, itself a function Forget can wrap.

    The gradients are built as a graph only when the caller records one (double backprop),
    which is what lets Forget differentiate its backward any number of times. ``bound``
    maps argument positions to the variables ``func`` uses through a closure (parameters):
    gradients are taken with respect to those very variables.
    """

    def __init__(self, func, n_inputs, float_indexes, bound, random_state):
        self.func = func
        self.n_inputs = n_inputs
        self.float_indexes = float_indexes
        self.bound = bound
        self.random_state = random_state

    def __call__(self, *args):
        xs = _substitute(args[:self.n_inputs], self.bound)
        gys = list(args[self.n_inputs:])
        create_graph = config.enable_backprop
        targets = [xs[i] for i in self.float_indexes]
        with self.random_state, force_backprop_mode():
            outs = _call_func(self.func, xs)
            gxs = _backprop.grad(list(outs), targets, gys,
                                 enable_double_backprop=create_graph)
        ret = []
        for x, gx in zip(targets, gxs):
            if gx is None:
                gx = variable.Variable(utils.get_xp(x.array).zeros_like(x.array),
                                       requires_grad=False)
            ret.append(gx)
        return tuple(ret)


class Forget(function_node.FunctionNode):
    """Runs ``func`` without keeping its graph; backward recomputes it to get gradients.

    Args:
        func: callable taking one Variable per input and returning a Variable or a tuple.
        bound (dict): input positions whose Variable ``func`` uses directly (through a
            closure) rather than through its argument; used for captured parameters.
    """

    def __init__(self, func, bound=None):
        if not callable(func):
            raise TypeError('forget: func must be callable, got {}'.format(type(func).__name__))
        self.func = func
        self.bound = bound or {}
        self._random_state = None
        self._precomputed = None

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        if self._precomputed is not None:
            ys = self._precomputed
            self._precomputed = None
        else:
            self._random_state = self._random_state or _RandomState()
            with no_backprop_mode():
                args = _substitute([variable.Variable(x) for x in inputs], self.bound)
                ys = [y.array for y in _call_func(self.func, args)]
        # An output may be an input passed through; never hand out the input's array.
        ys = [y.copy() if any(y is x for x in inputs) else y for y in ys]
        self._out_meta = [(y.shape, y.dtype) for y in ys]
        return tuple(ys)

    def backward(self, indexes, grad_outputs):
        inputs = self.get_retained_inputs()
        xp = utils.get_xp(inputs[0].array) if inputs else numpy
        gys = []
        for gy, (shape, dtype) in zip(grad_outputs, self._out_meta):
            gys.append(xp.zeros(shape, dtype) if gy is None else gy)
        float_indexes = [i for i, x in enumerate(inputs) if x.dtype.kind == 'f']
        vjp = _VectorJacobianProduct(self.func, len(inputs), float_indexes, self.bound,
                                     self._random_state)
        grad_node = Forget(vjp, self.bound)
        grad_node._random_state = self._random_state
        gxs = grad_node.apply(tuple(inputs) + tuple(gys))
        result = [None] * len(inputs)
        for i, gx in zip(float_indexes, gxs):
            result[i] = gx
        return tuple(result[i] for i in indexes)


def forget(func, *xs):
    """Call ``func(*xs)`` without keeping its intermediate values; recompute them in backward.

    The intermediate results of ``func`` are freed as soon as it returns, and ``func`` runs
    again during backward to get the gradients: memory for time. Parameters of links
    called inside ``func`` receive their gradients as usual. The result can be
    differentiated again (double backprop), and random draws made with ``numpy.random``
    (such as dropout masks on the CPU) are replayed identically when ``func`` is
    recomputed.

    Args:
        func (callable): takes Variables, returns a Variable or a tuple of Variables. It must
            compute the same thing every time it is called with the same inputs.
        xs (Variables or arrays): the arguments of ``func``.

    Returns:
        Variable, or a tuple of Variables when ``func`` returns a tuple.
    """
    if not callable(func):
        raise TypeError('forget: func must be callable, got {}'.format(type(func).__name__))
    arrays = [variable.as_array(x) for x in xs]
    if not config.enable_backprop:
        with no_backprop_mode():
            outs = _call_func(func, [variable.Variable(a) for a in arrays])
        return outs[0] if len(outs) == 1 else outs
    # Run once with a graph to learn which parameters the function uses; the graph (and
    # with it every intermediate array) is dropped as soon as this block ends.
    random_state = _RandomState()
    args = [variable.Variable(a) for a in arrays]
    outs = _call_func(func, args)
    captured = _captured_leaves(outs, args)
    ys = [y.array for y in outs]
    del outs, args
    n = len(xs)
    bound = {n + j: p for j, p in enumerate(captured)}
    node = Forget(lambda *a: func(*a[:n]), bound)
    node._random_state = random_state
    node._precomputed = ys
    outs = node.apply(tuple(xs) + tuple(captured))
    return outs[0] if len(outs) == 1 else outs
