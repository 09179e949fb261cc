"""Optional compiled CPU kernels (the ``_dchain_native`` extension) behind numpy fallbacks.

numpy cannot fuse a chain of elementwise operations or a windowed loop, nor split a pass
over threads, so the few CPU hot spots where that costs (the optimizer updates, 2-d max
pooling, 2-d im2col/col2im, ReLU) have C kernels, built by ``pip install`` when a C compiler
exists (``setup.py``; ``python setup.py build_ext --inplace`` for a checkout). Every wrapper
here returns None (or False) when the caller should run its numpy code instead: the
extension is missing, ``DCHAIN_NATIVE=0`` was set when dchain was imported, or the arrays are
not numpy arrays with the layout the kernel needs (contiguity, alignment), or (the optimizer
updates) a hyperparameter is a numpy scalar that makes numpy compute in a wider type.
Arguments that can never be right (a dtype other than float32/float64, mismatched dtypes or
shapes) raise TypeError/ValueError naming the argument, so callers gate on :func:`floats`
first.

The kernels release the GIL. The windowed ones and ReLU's split large passes over channels
(elements) among the threads of the pool they share with numpy's BLAS
(:mod:`dchain._cpu_threads`); each part writes its own elements, so the results do not
depend on the thread count. They keep the numpy code's operation order, so the optimizer
updates are bitwise equal to it; max pooling's scatter and col2im sum overlapping windows in
another order (rounding), and a max pooling gradient of inf or NaN goes to the argmax only
instead of spreading NaN over the window as numpy's ``gy * mask`` does.
"""
import os

import numpy

try:
    import _dchain_native as _lib
except ImportError:  # no compiler at install time, or an interpreter it was not built for
    _lib = None

_FLOATS = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))


def _detect():
    """Whether the kernels are to be used: the extension loaded and not disabled."""
    setting = os.environ.get('DCHAIN_NATIVE', '1').strip().lower()
    return _lib is not None and setting not in ('0', 'false', 'no', 'off')


#: True when the compiled kernels are loaded and not disabled by ``DCHAIN_NATIVE=0``.
available = _detect()

#: Callers run the windowed kernels (im2col, max pooling) on batch-last arrays only when the
#: batch axis, the contiguous run the kernels copy, has at least this many elements: on short
#: runs numpy's strided copies are faster (ResNet-50 at batch 1: im2col 2.4x slower).
MIN_BATCH = 8


def worthwhile(batch_last):
    """Whether a windowed kernel pays off on the batch-last array ``batch_last``."""
    return batch_last.shape[-1] >= MIN_BATCH


def floats(*arrays):
    """Whether ``arrays`` are numpy arrays of one dtype, float32 or float64 (kernels apply)."""
    first = arrays[0]
    if not isinstance(first, numpy.ndarray) or first.dtype not in _FLOATS:
        return False
    dtype = first.dtype
    for a in arrays[1:]:
        if not isinstance(a, numpy.ndarray) or a.dtype != dtype:
            return False
    return True


def _usable(*arrays, writable=()):
    """numpy arrays, C-contiguous and aligned; those in ``writable`` also writeable.

    (The vectorized loops assume each element is aligned to its size, which a view of a raw
    byte buffer at an odd offset need not be.)
    """
    for a in arrays:
        if not isinstance(a, numpy.ndarray) or not a.flags.c_contiguous or \
                not a.flags.aligned:
            return False
    for a in writable:
        if not a.flags.writeable:
            return False
    return True


def _same_precision(dtype, *scalars):
    """Whether numpy computes ``array op scalar`` in ``dtype`` for every scalar: Python numbers
    are cast to the array's dtype, as the kernels cast them, but a numpy scalar or 0-d array of
    a wider type (a float64 learning rate on float32 parameters) makes numpy compute in that
    type (NEP 50) and round differently from the kernel.
    """
    for s in scalars:
        if type(s) is not float and type(s) is not int and \
                numpy.result_type(dtype, s) != dtype:
            return False
    return True


def _check_float(name, a, ref_name=None, ref=None):
    if a.dtype not in _FLOATS:
        raise TypeError('{} must be float32 or float64, got {}'.format(name, a.dtype))
    if ref is not None and a.dtype != ref.dtype:
        raise TypeError('{} must have the dtype of {} ({}), got {}'.format(
            name, ref_name, ref.dtype, a.dtype))


def _check_shape(name, a, shape):
    if a.shape != tuple(shape):
        raise ValueError('{} must have shape {}, got {}'.format(name, tuple(shape), a.shape))


def _pair(value, name, minimum):
    try:
        a, b = (int(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError('{} must be a pair of ints, got {!r}'.format(name, value)) from None
    if a < minimum or b < minimum:
        raise ValueError('{} must be >= {}, got {!r}'.format(name, minimum, value))
    return a, b


def _batch_last_4d(name, a):
    if a.ndim != 4:
        raise ValueError('{} must be a batch-last (c, h, w, n) array, got ndim {}'.format(
            name, a.ndim))


# --- optimizers ---------------------------------------------------------------------------

def sgd(param, grad, lr):
    """``param -= lr * grad`` in one pass, without a temporary; False means use numpy."""
    if not available or not _usable(param, grad, writable=(param,)):
        return False
    _check_float('param', param)
    _check_float('grad', grad, 'param', param)
    _check_shape('grad', grad, param.shape)
    if not _same_precision(param.dtype, lr):
        return False
    _lib.sgd(param, grad, float(lr))
    return True


def momentum_sgd(param, grad, v, lr, momentum):
    """``v = momentum * v - lr * grad; param += v`` in one pass; False means use numpy."""
    if not available or not _usable(param, grad, v, writable=(param, v)):
        return False
    _check_float('param', param)
    _check_float('grad', grad, 'param', param)
    _check_float('v', v, 'param', param)
    _check_shape('grad', grad, param.shape)
    _check_shape('v', v, param.shape)
    if not _same_precision(param.dtype, lr, momentum):
        return False
    _lib.momentum_sgd(param, grad, v, float(lr), float(momentum))
    return True


def adam(param, grad, m, v, vhat, beta1, beta2, eps, alpha_t, eta=1.0, weight_decay_rate=0.0,
         bounds=None):
    """One Adam step in place (see :mod:`dchain.optimizers.adam`); False means use numpy.

    ``vhat`` is the AMSGrad running maximum (or None); ``bounds`` AdaBound's
    ``(lower, upper)`` step bounds (or None).
    """
    states = (m, v) if vhat is None else (m, v, vhat)
    if not available or not _usable(param, grad, *states, writable=(param,) + states):
        return False
    _check_float('param', param)
    for name, a in zip(('grad', 'm', 'v', 'vhat'), (grad,) + states):
        _check_float(name, a, 'param', param)
        _check_shape(name, a, param.shape)
    scalars = _adam_scalars(param.dtype, beta1, beta2, eps, alpha_t, eta, weight_decay_rate,
                            bounds)
    if scalars is None:
        return False
    lower, upper = (0.0, 0.0) if bounds is None else (float(bounds[0]), float(bounds[1]))
    _lib.adam(param, grad, m, v, vhat, *scalars[:6], lower, upper, *scalars[6:],
              bounds is not None)
    return True


def _adam_scalars(dtype, beta1, beta2, eps, alpha_t, eta, weight_decay_rate, bounds=None):
    """The kernel's ``(1 - beta1, 1 - beta2, eps, alpha_t, eta, decay, use_eta, use_decay)``,
    or None where numpy would compute in a wider type than ``dtype``."""
    # The scalars the numpy code of AdamRule.update_core_cpu combines with the arrays.
    scalars = [1 - beta1, 1 - beta2, alpha_t]
    if eta != 1:
        scalars.append(eta)
    if weight_decay_rate != 0:
        scalars.append(1 - eta * weight_decay_rate)
    if bounds is not None:
        scalars.extend(bounds)
    if not _same_precision(dtype, *scalars):
        return None
    return (1.0 - beta1, 1.0 - beta2, float(eps), float(alpha_t), float(eta),
            1.0 - eta * weight_decay_rate, eta != 1, weight_decay_rate != 0)


# --- im2col / col2im ----------------------------------------------------------------------

def im2col_2d(xt, ksize, stride, pad, dilate, out_size, pval=0, kernel_first=False, out=None):
    """2-d :func:`dchain.utils.conv_nd.im2col_batch_last`; None means use numpy.

    ``xt`` is batch-last ``(c, h, w, n)`` with any strides; the result is C-contiguous
    ``(c, kh, kw, oh, ow, n)`` (``(kh, kw, c, oh, ow, n)`` with ``kernel_first``), written
    into ``out`` (any shape of that size, C-contiguous) when given.
    """
    if not available or not isinstance(xt, numpy.ndarray) or not xt.flags.aligned:
        return None
    _check_float('x', xt)
    _batch_last_4d('x', xt)
    kh, kw = _pair(ksize, 'ksize', 1)
    sy, sx = _pair(stride, 'stride', 1)
    py, px = _pair(pad, 'pad', -(1 << 62))  # negative pads start a block of rows
    dy, dx = _pair(dilate, 'dilate', 1)
    oh, ow = _pair(out_size, 'out_size', 0)
    c, n = xt.shape[0], xt.shape[3]
    if n > 1 and xt.strides[3] != xt.itemsize and xt.size * 4 < c * kh * kw * oh * ow * n:
        # Batch-first input (the network's first layer): gathering n elements per window
        # position with a large stride is slower than one transposing copy followed by
        # contiguous runs (the columns are several times the input's size).
        xt = numpy.ascontiguousarray(xt)
    shape = ((kh, kw, c) if kernel_first else (c, kh, kw)) + (oh, ow, n)
    if out is None:
        col = numpy.empty(shape, dtype=xt.dtype)
    else:
        if not _usable(out, writable=(out,)):
            return None
        _check_float('out', out, 'x', xt)
        if out.size != c * kh * kw * oh * ow * n:
            raise ValueError('out must have {} elements, got {}'.format(
                c * kh * kw * oh * ow * n, out.size))
        col = out.reshape(shape)
    _lib.im2col_2d(xt, col, sy, sx, py, px, dy, dx, float(pval), bool(kernel_first))
    return col


def col2im_2d(col, in_size, stride, pad, dilate, kernel_first=False, out=None):
    """2-d :func:`dchain.utils.conv_nd.col2im_batch_last`; None means use numpy.

    ``col`` is C-contiguous ``(c, kh, kw, oh, ow, n)`` (or kernel-first); the patches are
    summed into ``out`` (C-contiguous ``(c, h, w, n)``, added to) or into a fresh zero array.
    """
    if not available or not _usable(col):
        return None
    _check_float('col', col)
    if col.ndim != 6:
        raise ValueError('col must have 6 dimensions, got {}'.format(col.ndim))
    sy, sx = _pair(stride, 'stride', 1)
    py, px = _pair(pad, 'pad', -(1 << 62))
    dy, dx = _pair(dilate, 'dilate', 1)
    h, w = _pair(in_size, 'in_size', 0)
    c = col.shape[2] if kernel_first else col.shape[0]
    shape = (c, h, w, col.shape[5])
    if out is None:
        out = numpy.zeros(shape, dtype=col.dtype)
    else:
        if not _usable(out, writable=(out,)):
            return None
        _check_float('out', out, 'col', col)
        _check_shape('out', out, shape)
    _lib.col2im_2d(col, out, sy, sx, py, px, dy, dx, bool(kernel_first))
    return out


# --- max pooling --------------------------------------------------------------------------

def max_pool_2d_forward(xt, ksize, stride, pad, out_size, index_dtype):
    """Window maxima and argmax of a batch-last ``(c, h, w, n)`` array (any strides).

    Returns ``(y, indexes)``, both C-contiguous ``(c, oh, ow, n)``, ``indexes`` of
    ``index_dtype`` (int8 or int32) holding the flat tap of the first maximum (padding reads
    as -inf); None means use numpy.
    """
    if not available or not isinstance(xt, numpy.ndarray) or not xt.flags.aligned:
        return None
    _check_float('x', xt)
    _batch_last_4d('x', xt)
    index_dtype = numpy.dtype(index_dtype)
    if index_dtype not in (numpy.dtype(numpy.int8), numpy.dtype(numpy.int32)):
        raise TypeError('index_dtype must be int8 or int32, got {}'.format(index_dtype))
    kh, kw = _pair(ksize, 'ksize', 1)
    sy, sx = _pair(stride, 'stride', 1)
    py, px = _pair(pad, 'pad', 0)
    oh, ow = _pair(out_size, 'out_size', 0)
    shape = (xt.shape[0], oh, ow, xt.shape[3])
    y = numpy.empty(shape, dtype=xt.dtype)
    indexes = numpy.empty(shape, dtype=index_dtype)
    _lib.max_pool_2d_forward(xt, y, indexes, kh, kw, sy, sx, py, px)
    return y, indexes


def max_pool_2d_backward(gyt, indexes, in_size, ksize, stride, pad, gate=None):
    """Scatter of a batch-last ``(c, oh, ow, n)`` gradient to its windows' argmax.

    ``indexes`` are those of :func:`max_pool_2d_forward` (any shape of ``gyt``'s size,
    C-contiguous). With ``gate`` (``gyt``'s shape and dtype), each value is scattered times
    ``gate > 0``. Returns a C-contiguous ``(c, h, w, n)`` array; None means use numpy.
    """
    if (not available or not isinstance(gyt, numpy.ndarray) or not gyt.flags.aligned or
            not _usable(indexes) or (gate is not None and not _usable(gate))):
        return None
    _check_float('gy', gyt)
    _batch_last_4d('gy', gyt)
    if indexes.dtype not in (numpy.dtype(numpy.int8), numpy.dtype(numpy.int32)):
        raise TypeError('indexes must be int8 or int32, got {}'.format(indexes.dtype))
    if indexes.size != gyt.size:
        raise ValueError('indexes must have {} elements, got {}'.format(gyt.size,
                                                                         indexes.size))
    kh, kw = _pair(ksize, 'ksize', 1)
    sy, sx = _pair(stride, 'stride', 1)
    py, px = _pair(pad, 'pad', 0)
    h, w = _pair(in_size, 'in_size', 0)
    if gate is not None and (gate.shape != gyt.shape or gate.dtype != gyt.dtype):
        raise ValueError('gate must have the shape {} and dtype {} of gy, got {} and {}'.format(
            gyt.shape, gyt.dtype, gate.shape, gate.dtype))
    gx = numpy.empty((gyt.shape[0], h, w, gyt.shape[3]), dtype=gyt.dtype)
    _lib.max_pool_2d_backward(gyt, indexes.reshape(gyt.shape), gx, kh, kw, sy, sx, py, px,
                              gate)
    return gx


# --- reduction in node-shared memory ---------------------------------------------------------

def sum_scale_spread(mine, others, scale, step=None):
    """``mine = (mine + others[0] + ...) * scale`` (no multiply when ``scale`` is 1), then
    every array of ``others`` gets a copy: one pass, in numpy's order of additions. False
    means use numpy (float16 buckets among others).

    ``step``: an optimizer step to take with ``mine`` as the gradient, block by block while
    the sums are in cache, bitwise as :func:`momentum_sgd` or :func:`adam` called afterwards:
    ``('momentum', param, v, lr, momentum)`` or ``('adam', param, m, v, beta1, beta2, eps,
    alpha_t, eta, weight_decay_rate)``. False then means that nothing was done.
    """
    if not available or not floats(mine, *others) or \
            not _usable(mine, *others, writable=(mine,) + tuple(others)):
        return False
    for other in others:
        _check_shape('every other', other, mine.shape)
    if step is not None:
        step = _kernel_step(mine, step)
        if step is None:
            return False
    _lib.sum_scale_spread(mine, list(others), float(scale), step)
    return True


def _kernel_step(mine, step):
    """The kernel's form of a ``step`` of :func:`sum_scale_spread` (its scalars as the
    kernel takes them), or None where the kernel cannot take it bitwise as numpy would."""
    kind = step[0]
    if kind == 'adam':
        arrays, names, scalars = step[1:4], ('param', 'm', 'v'), step[4:]
    else:
        arrays, names, scalars = step[1:3], ('param', 'v'), step[3:]
    if not floats(mine, *arrays) or not _usable(*arrays, writable=arrays):
        return None
    for name, a in zip(names, arrays):
        _check_shape(name, a, mine.shape)
    if kind == 'adam':
        scalars = _adam_scalars(mine.dtype, *scalars)
    elif not _same_precision(mine.dtype, *scalars):
        scalars = None
    if scalars is None:
        return None
    return (kind,) + tuple(arrays) + tuple(s if type(s) is bool else float(s) for s in scalars)


def claim_chunk(claims, step, first):
    """Claim one chunk for ``step`` (see :func:`claim_sum_scale_spread`): the index of the
    first chunk from ``first`` on, wrapping around, whose word this call raised to ``step``,
    or -1 when every chunk is taken. Needs the compiled kernels (:data:`available`)."""
    if claims.dtype != numpy.int64 or not _usable(claims, writable=(claims,)):
        raise TypeError('claims must be a writable C-contiguous int64 array, got {} '
                        '(C-contiguous: {}, writeable: {})'.format(
                            claims.dtype, claims.flags.c_contiguous, claims.flags.writeable))
    return _lib.claim_chunk(claims, int(step), int(first))


def claim_sum_scale_spread(claims, step, first, chunk, segments, scale):
    """Reduce the chunks of ``segments`` (equal float arrays, one per process) that this call
    claims: :func:`sum_scale_spread` of ``segments[0]`` with the others, chunk by chunk.

    ``claims`` (int64, one word per chunk of ``chunk`` elements, in memory every process
    maps) holds the last step that claimed each chunk; a chunk is taken by raising its word to
    ``step`` atomically, starting at chunk ``first`` and wrapping around, so every chunk is
    summed by exactly one caller, in the segments' order whoever it is. Returns how many
    chunks this call reduced, or None: use numpy (float16, or the kernels are not built).
    """
    if not available or not floats(*segments) or \
            not _usable(claims, *segments, writable=(claims,) + tuple(segments)):
        return None
    if claims.dtype != numpy.int64:
        raise TypeError('claims must be int64, got {}'.format(claims.dtype))
    for segment in segments[1:]:
        _check_shape('every segment', segment, segments[0].shape)
    return _lib.claim_sum_scale_spread(claims, int(step), int(first), int(chunk),
                                       list(segments), float(scale))


# --- relu ---------------------------------------------------------------------------------

def _dense_views(*arrays):
    """C-contiguous views of equally laid out dense arrays (one axis order for all), or None.

    Elementwise kernels do not care about the order of elements, only that every operand
    stores them in the same one: a batch-last buffer seen as ``(n, c, h, w)`` qualifies.
    """
    first = arrays[0]
    if not all(a.flags.aligned for a in arrays):
        return None
    if all(a.flags.c_contiguous for a in arrays):
        return arrays
    for a in arrays[1:]:
        if a.shape != first.shape or a.strides != first.strides:
            return None
    order = sorted(range(first.ndim), key=lambda i: -first.strides[i])
    views = tuple(a.transpose(order) for a in arrays)
    return views if views[0].flags.c_contiguous else None


def relu_forward(x, in_place=False):
    """``max(x, 0)`` as ``numpy.clip(x, 0, inf)`` computes it (NaN and -0.0 pass through),
    into ``x`` itself with ``in_place``; None means use numpy.

    ``x`` must be a dense numpy array of float32 or float64 (any axis order).
    """
    if not available or not floats(x) or (in_place and not x.flags.writeable):
        return None
    y = x if in_place else numpy.empty_like(x)
    views = _dense_views(x, y)
    if views is None:
        return None
    _lib.relu_forward(*views)
    return y


def relu_backward(y, gy):
    """``gy * (y > 0)`` in one pass (ReLU's gradient from its output); None means use numpy.

    ``y`` and ``gy`` must be numpy arrays of one float dtype and shape, stored densely in the
    same axis order (as a batch-last activation and its gradient are).
    """
    if not available or not floats(y, gy) or y.shape != gy.shape:
        return None
    gx = numpy.empty_like(y)
    views = _dense_views(y, gy, gx)
    if views is None:
        return None
    _lib.relu_backward(*views)
    return gx


# --- thread pool (see dchain/_cpu_threads.py) ------------------------------------------------

def configure_threads(threads, spin_us, counter):
    """Parts of the parallel kernels: ``threads``, or what the C function at address
    ``counter`` returns each time (BLAS's thread count) unless it is None; idle workers poll
    for ``spin_us`` microseconds before they sleep."""
    _lib.configure_threads(threads, spin_us, counter)


def threads():
    """How many parts the parallel kernels split a large pass into now."""
    return _lib.threads()


def pool_stats():
    """``{'workers': worker threads started (on first use), 'blas_calls': parallel BLAS
    calls the pool has run}``."""
    return _lib.pool_stats()


def blas_callback():
    """Address of the OpenBLAS threading callback that runs BLAS's parts on the pool."""
    return _lib.blas_callback()
