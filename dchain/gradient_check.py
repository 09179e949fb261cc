"""Numerical gradient checks: compare backward with finite differences.

:func:`check_backward` compares the analytic gradient of a function with a central finite
difference along a random direction over all inputs (one directional derivative tests every
element at once, as Chainer does); :func:`check_double_backward` does the same for the
gradient of the gradient. :func:`numerical_grad` is the elementwise finite difference.
"""
import numpy

from dchain import backend
from dchain import _backprop
from dchain.utils import force_array
from dchain.variable import Variable


class NondifferentiableError(Exception):
    """The function is not differentiable at the point checked (left and right slopes differ)."""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def numerical_grad(f, inputs, grad_outputs, eps=1e-3, detect_nondifferentiable=False,
                   diff_atol=0, diff_rtol=1e-2, center_outputs=None):
    """Finite-difference gradients of ``sum(f() * grad_outputs)`` w.r.t. each input array.

    Args:
        f: callable with no arguments returning a tuple of arrays; it must read ``inputs``,
            which this function perturbs in place (and restores).
        inputs (tuple of arrays): arrays to differentiate with respect to.
        grad_outputs (tuple of arrays or None): weights of the outputs.
        eps (float): step of the central difference.
        detect_nondifferentiable (bool): also evaluate at ``±2 eps`` and raise
            :class:`NondifferentiableError` where the one-sided slopes disagree.
        diff_atol, diff_rtol: tolerances of that comparison.
        center_outputs: outputs at the unperturbed inputs (computed if needed and omitted).

    Returns:
        tuple of arrays: the gradients, one per input (float64 for non-float inputs is not
        allowed: integer inputs have no gradient).
    """
    if eps <= 0:
        raise ValueError('eps must be positive, got {}'.format(eps))
    inputs = tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs) if grad_outputs is not None else None
    for i, x in enumerate(inputs):
        if x.dtype.kind != 'f':
            raise TypeError('numerical_grad: input {} has dtype {}; only floating inputs can be '
                            'differentiated'.format(i, x.dtype))

    def weighted_outputs():
        ys = _as_tuple(f())
        ys = [backend.cpu_device.send(getattr(y, 'array', y)) for y in ys]
        if grad_outputs is None:
            return [numpy.asarray(y, numpy.float64) for y in ys]
        out = []
        for y, gy in zip(ys, grad_outputs):
            if gy is None:
                continue
            gy = backend.cpu_device.send(gy)
            out.append(numpy.asarray(y, numpy.float64) * gy)
        return out

    def total(values):
        return sum(float(v.sum()) for v in values)

    if detect_nondifferentiable and center_outputs is None:
        center_outputs = total(weighted_outputs())
    elif center_outputs is not None:
        center_outputs = total(center_outputs) if not numpy.isscalar(center_outputs) else \
            center_outputs

    grads = []
    for x in inputs:
        xp = backend.get_array_module(x)
        gx = numpy.zeros(x.shape, dtype=numpy.float64)
        flat_index = numpy.ndindex(x.shape)
        for index in flat_index:
            orig = x[index].copy()
            steps = (-2, -1, 1, 2) if detect_nondifferentiable else (-1, 1)
            values = {}
            for k in steps:
                x[index] = orig + k * eps
                values[k] = total(weighted_outputs())
            x[index] = orig
            if detect_nondifferentiable:
                left = (values[-1] - values[-2]) / eps, (center_outputs - values[-1]) / eps
                right = (values[1] - center_outputs) / eps, (values[2] - values[1]) / eps
                slopes = left + right
                for a, b in zip(slopes, slopes[1:]):
                    if abs(a - b) > diff_atol + diff_rtol * abs(b):
                        raise NondifferentiableError(
                            'not differentiable at index {} of an input of shape {}: '
                            'one-sided slopes {}'.format(index, x.shape, slopes))
            gx[index] = (values[1] - values[-1]) / (2 * eps)
        grads.append(xp.asarray(gx.astype(x.dtype)) if xp is not numpy else
                     gx.astype(x.dtype))
    return tuple(grads)


def _run_backward(func, xs, y_grad, params):
    ys = _as_tuple(func(*xs))
    for y in ys:
        if not isinstance(y, Variable):
            raise TypeError('the function under check must return Variables, got {}'.format(
                type(y).__name__))
    if y_grad is None:
        if len(ys) != 1 or ys[0].array.size != 1:
            raise ValueError('y_grad is None, so the function must return one scalar; it '
                             'returned shapes {}'.format([y.shape for y in ys]))
        roots = ys
    else:
        y_grad = _as_tuple(y_grad)
        if len(y_grad) != len(ys):
            raise ValueError('the function returned {} outputs but y_grad has {}'.format(
                len(ys), len(y_grad)))
        roots = []
        for y, gy in zip(ys, y_grad):
            if gy is None:
                continue
            if gy.shape != y.shape:
                raise ValueError('y_grad of shape {} does not match an output of shape {}'
                                 .format(gy.shape, y.shape))
            y.grad_var = Variable(gy.astype(y.dtype, copy=False), requires_grad=False)
            roots.append(y)
    for v in list(xs) + list(params):
        v.cleargrad()
    _backprop.backward(tuple(roots))
    return ys


def check_backward(func, x_data, y_grad, params=(), eps=1e-3, atol=1e-5, rtol=1e-4,
                   no_grads=None, dtype=None, detect_nondifferentiable=False):
    """Check the backward of ``func`` against a finite difference.

    Args:
        func: callable taking Variables (one per array of ``x_data``) and returning a
            Variable or a tuple of them.
        x_data (array or tuple of arrays): the inputs. Integer arrays get no gradient.
        y_grad (array, tuple of arrays, or None): gradients of the outputs; None when the
            function returns one scalar.
        params (Parameter or tuple of them): parameters used by ``func`` to check too.
        eps (float): finite-difference step.
        atol, rtol (float): tolerances.
        no_grads (list of bool): inputs not to check (their gradient must be None).
        dtype: compute the numerical side in this dtype (e.g. numpy.float64) for accuracy.
        detect_nondifferentiable (bool): fail if the function is not differentiable there.

    Raises:
        AssertionError: the gradients disagree (the message shows both).
    """
    x_data = _as_tuple(x_data)
    params = _as_tuple(params) if params is not None else ()
    if no_grads is None:
        no_grads = [x.dtype.kind != 'f' for x in x_data]
    elif len(no_grads) != len(x_data):
        raise ValueError('no_grads has {} entries for {} inputs'.format(len(no_grads),
                                                                         len(x_data)))
    xs = tuple(Variable(x, requires_grad=not skip) for x, skip in zip(x_data, no_grads))
    _run_backward(func, xs, y_grad, params)

    analytic = []
    for i, (x, skip) in enumerate(zip(xs, no_grads)):
        if skip:
            if x.grad is not None:
                raise AssertionError('input {} is marked as having no gradient, but backward '
                                     'computed one'.format(i))
            continue
        analytic.append(('input {}'.format(i), x))
    for i, p in enumerate(params):
        analytic.append(('param {}{}'.format(i, ' ({})'.format(p.name) if p.name else ''), p))
    if not analytic:
        return

    # One random direction over every checked array; compare directional derivatives.
    targets = [v for _, v in analytic]
    rng = numpy.random
    directions = [rng.normal(size=v.shape) for v in targets]
    norm = numpy.sqrt(sum(float((d * d).sum()) for d in directions)) or 1.0
    directions = [d / norm for d in directions]
    grads = []
    for (label, v) in analytic:
        g = v.grad
        grads.append(numpy.zeros(v.shape) if g is None else
                     numpy.asarray(backend.cpu_device.send(g), numpy.float64))
    analytic_value = sum(float((g * d).sum()) for g, d in zip(grads, directions))

    originals = [v.array for v in targets]
    work_dtype = None if dtype is None else numpy.dtype(dtype)
    base = [o.astype(work_dtype) if work_dtype is not None else o.copy() for o in originals]
    xp_dirs = [backend.get_device_from_array(o).send(d.astype(b.dtype))
               for o, d, b in zip(originals, directions, base)]
    # The step t is perturbed by numerical_grad; arrays are rebuilt from it each call.
    t = numpy.zeros((), dtype=numpy.float64)
    skipped_inputs = {i: x for i, (x, skip) in enumerate(zip(xs, no_grads)) if skip}

    def evaluate():
        for k, v in enumerate(targets):
            v.array = force_array(base[k] + base[k].dtype.type(t) * xp_dirs[k])
        inputs = []
        for i, x in enumerate(xs):
            if i in skipped_inputs:
                inputs.append(x)
            else:
                inputs.append(Variable(x.array))
        # Backprop stays enabled: func may itself run a backward (check_double_backward).
        ys = _as_tuple(func(*inputs))
        if work_dtype is None:
            return tuple(y.array for y in ys)
        return tuple(y.array.astype(numpy.float64) for y in ys)

    try:
        gy = None if y_grad is None else tuple(
            None if g is None else backend.cpu_device.send(g) for g in _as_tuple(y_grad))
        numeric_value, = numerical_grad(evaluate, (t,), gy, eps=eps,
                                        detect_nondifferentiable=detect_nondifferentiable)
        numeric_value = float(numeric_value)
    finally:
        for v, o in zip(targets, originals):
            v.array = o

    if not abs(analytic_value - numeric_value) <= atol + rtol * abs(numeric_value):
        detail = '\n'.join('  {}: analytic grad =\n{}'.format(label, g)
                           for (label, _), g in zip(analytic, grads))
        raise AssertionError(
            'check_backward failed: the directional derivative along a random direction is '
            '{!r} by backward but {!r} by finite difference (atol={}, rtol={}, eps={}).\n{}'
            .format(analytic_value, numeric_value, atol, rtol, eps, detail))


def check_double_backward(func, x_data, y_grad, x_grad_grad, params=(),
                          params_grad_grad=(), eps=1e-3, atol=1e-4, rtol=1e-3,
                          no_grads=None, dtype=None, detect_nondifferentiable=False):
    """Check the second-order gradient of ``func`` (the backward of its backward).

    The first-order gradient ``gx(x, gy)`` is computed with ``enable_double_backprop=True``
    and then checked with :func:`check_backward`, using ``x_grad_grad`` (and
    ``params_grad_grad``) as the gradients of ``gx``.
    """
    x_data = _as_tuple(x_data)
    y_grad = _as_tuple(y_grad)
    params = _as_tuple(params) if params is not None else ()
    x_grad_grad = _as_tuple(x_grad_grad)
    params_grad_grad = _as_tuple(params_grad_grad) if params_grad_grad is not None else ()
    n_x = len(x_data)
    if no_grads is None:
        no_grads = [x.dtype.kind != 'f' for x in x_data]
    checked = [i for i in range(n_x) if not no_grads[i]]
    if len(x_grad_grad) != len(checked):
        raise ValueError('x_grad_grad has {} entries for {} differentiable inputs'.format(
            len(x_grad_grad), len(checked)))
    if len(params_grad_grad) != len(params):
        raise ValueError('params_grad_grad has {} entries for {} params'.format(
            len(params_grad_grad), len(params)))

    def first_order_grad(*inputs):
        xs = inputs[:n_x]
        gys = inputs[n_x:]
        ys = _as_tuple(func(*xs))
        roots = []
        for y, gy in zip(ys, gys):
            if gy is None:
                continue
            y.grad_var = gy
            roots.append(y)
        for p in params:
            p.cleargrad()
        _backprop.backward(tuple(roots), enable_double_backprop=True)
        gxs = []
        for i in checked:
            g = xs[i].grad_var
            if g is None:
                g = Variable(xs[i].xp.zeros_like(xs[i].array), requires_grad=False)
            gxs.append(g)
        for p in params:
            g = p.grad_var
            if g is None:
                g = Variable(p.xp.zeros_like(p.array), requires_grad=False)
            gxs.append(g)
        return tuple(gxs)

    check_backward(first_order_grad, x_data + y_grad, x_grad_grad + params_grad_grad,
                   params=params, eps=eps, atol=atol, rtol=rtol,
                   no_grads=list(no_grads) + [False] * len(y_grad), dtype=dtype,
                   detect_nondifferentiable=detect_nondifferentiable)
