"""Tests of F.n_step_lstm and F.n_step_bilstm against a per-sequence numpy loop."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(n_layers, hx, cx, ws, bs, xs, n_dirs):
    ys, hy, cy = [], numpy.zeros_like(hx), numpy.zeros_like(cx)
    for i, seq in enumerate(xs):
        inp = seq
        for layer in range(n_layers):
            outs = []
            for d in range(n_dirs):
                k = layer * n_dirs + d
                w, b = ws[k], bs[k]
                h, c = hx[k, i], cx[k, i]
                out = [None] * len(inp)
                steps = range(len(inp)) if d == 0 else reversed(range(len(inp)))
                for t in steps:
                    pre = [w[j].dot(inp[t]) + b[j] + w[j + 4].dot(h) + b[j + 4]
                           for j in range(4)]
                    i_g, f_g, a, o = (_sigmoid(pre[0]), _sigmoid(pre[1]), numpy.tanh(pre[2]),
                                      _sigmoid(pre[3]))
                    c = f_g * c + i_g * a
                    h = o * numpy.tanh(c)
                    out[t] = h
                hy[k, i], cy[k, i] = h, c
                outs.append(numpy.stack(out))
            inp = numpy.concatenate(outs, axis=1)
        ys.append(inp)
    return hy, cy, ys


def _make(n_layers, n_dirs, in_size, n_units, lengths, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    xs = [rng.uniform(-1, 1, (n, in_size)).astype(dtype) for n in lengths]
    shape = (n_layers * n_dirs, len(lengths), n_units)
    hx = rng.uniform(-1, 1, shape).astype(dtype)
    cx = rng.uniform(-1, 1, shape).astype(dtype)
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(n_dirs):
            size = in_size if layer == 0 else n_units * n_dirs
            ws.append([rng.uniform(-.5, .5, (n_units, size if j < 4 else n_units))
                       .astype(dtype) for j in range(8)])
            bs.append([rng.uniform(-.5, .5, n_units).astype(dtype) for _ in range(8)])
    return hx, cx, ws, bs, xs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('lengths', [[3, 2, 2, 1], [2]])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_forward(bi, lengths, dtype):
    n_dirs = 2 if bi else 1
    hx, cx, ws, bs, xs = _make(2, n_dirs, 3, 4, lengths, dtype)
    fn = F.n_step_bilstm if bi else F.n_step_lstm
    hy, cy, ys = fn(2, 0.0, hx, cx, ws, bs, xs)
    hy_ref, cy_ref, ys_ref = _reference(2, hx, cx, ws, bs, xs, n_dirs)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == numpy.float32 else dict(rtol=1e-10)
    assert hy.dtype == dtype and cy.shape == cx.shape
    numpy.testing.assert_allclose(hy.array, hy_ref, **tol)
    numpy.testing.assert_allclose(cy.array, cy_ref, **tol)
    for y, y_ref in zip(ys, ys_ref):
        assert y.shape == (len(y_ref), 4 * n_dirs)
        numpy.testing.assert_allclose(y.array, y_ref, **tol)


def _flat(fn, n_layers, hx, cx, ws, bs, xs):
    n_w = len(ws) * 8

    def f(hx, cx, *args):
        it_w, it_b = iter(args[:n_w]), iter(args[n_w:2 * n_w])
        ws_ = [[next(it_w) for _ in range(8)] for _ in ws]
        bs_ = [[next(it_b) for _ in range(8)] for _ in bs]
        hy, cy, ys = fn(n_layers, 0.0, hx, cx, ws_, bs_, list(args[2 * n_w:]))
        return (hy, cy) + tuple(ys)
    inputs = (hx, cx) + tuple(a for w in ws for a in w) + tuple(a for b in bs for a in b) + \
        tuple(xs)
    return f, inputs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(bi, dtype):
    hx, cx, ws, bs, xs = _make(2, 2 if bi else 1, 2, 2, [3, 1], dtype, 1)
    f, inputs = _flat(F.n_step_bilstm if bi else F.n_step_lstm, 2, hx, cx, ws, bs, xs)
    rng = numpy.random.RandomState(2)
    gys = tuple(rng.uniform(-1, 1, y.shape).astype(dtype) for y in f(*inputs))
    tol = dict(atol=1e-3, rtol=1e-3, eps=1e-3) if dtype == numpy.float32 else \
        dict(atol=1e-6, rtol=1e-5, eps=1e-5)
    gradient_check.check_backward(f, inputs, gys, dtype=numpy.float64, **tol)


def test_double_backward():
    hx, cx, ws, bs, xs = _make(1, 1, 2, 2, [2, 1], numpy.float64, 3)
    f, inputs = _flat(F.n_step_lstm, 1, hx, cx, ws, bs, xs)
    rng = numpy.random.RandomState(4)
    gys = tuple(rng.uniform(-1, 1, y.shape) for y in f(*inputs))
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in inputs)
    gradient_check.check_double_backward(f, inputs, gys, ggs, dtype=numpy.float64,
                                         atol=1e-5, rtol=1e-4, eps=1e-5)


def test_bad_arguments():
    hx, cx, ws, bs, xs = _make(1, 1, 3, 4, [2, 1], numpy.float32)
    with pytest.raises(ValueError):
        F.n_step_lstm(1, 0.0, hx, cx, [w[:6] for w in ws], bs, xs)
    with pytest.raises(ValueError):
        F.n_step_lstm(1, 0.0, hx, cx[:, :1], ws, bs, xs)
    with pytest.raises(type_check.InvalidType):
        F.n_step_lstm(1, 0.0, hx, cx, ws, bs, [x.astype(numpy.float64) for x in xs])


def _replaced(lists, i, j, value):
    """A copy of ``ws`` or ``bs`` with entry ``[i][j]`` replaced."""
    out = [list(a) for a in lists]
    out[i][j] = value
    return out


def _bilstm_cases():
    hx, cx, ws, bs, xs = _make(2, 2, 3, 4, [3, 2], numpy.float32)
    uni_hx, uni_cx, uni_ws, uni_bs, _ = _make(2, 1, 3, 4, [3, 2], numpy.float32)
    return [
        # Parameters of a uni-directional net: a bi-directional one needs two per layer.
        ((hx, cx, uni_ws, uni_bs, xs), ValueError, r'ws and bs need 4 entries'),
        ((hx, uni_cx, ws, bs, xs), ValueError,
         r'cx must have shape \(n_layers \* directions, batch, units\) = \(4, \.\.\.\), '
         r'got \(2, 2, 4\)'),
        ((hx, cx, [w[:6] for w in ws], bs, xs), ValueError,
         r'each ws\[i\] and bs\[i\] must hold 8 arrays, got 6 and 8'),
        # Layer 1 reads both directions of layer 0 side by side (2N inputs, not N): this
        # failed in a Stack of the gate matrices.
        ((hx, cx, _replaced(ws, 3, 2, ws[3][2][:, :4]), bs, xs), type_check.InvalidType,
         r'ws\[3\]\[2\]\.shape\[1\] == ws\[0\]\[7\]\.shape\[0\] \* 2'),
        # A short bias failed in a numpy broadcast inside the loop.
        ((hx, cx, ws, _replaced(bs, 1, 5, bs[1][5][:3]), xs), type_check.InvalidType,
         r'bs\[1\]\[5\]\.shape\[0\] == ws\[0\]\[7\]\.shape\[0\]'),
        ((hx, cx[:, :, :3], ws, bs, xs), type_check.InvalidType,
         r'cx\.shape\[2\] == ws\[0\]\[7\]\.shape\[0\]'),
        ((hx, cx.astype(numpy.float64), ws, bs, xs), type_check.InvalidType,
         r'cx\.dtype == xs\[0\]\.dtype'),
        ((hx, cx, ws, bs, [xs[0], xs[1].astype(numpy.float64)]), type_check.InvalidType,
         r'xs\[1\]\.dtype == xs\[0\]\.dtype'),
        # A 3-d sequence was flattened silently by the input projection.
        ((hx, cx, ws, bs, [x[:, None] for x in xs]), type_check.InvalidType,
         r'xs\[0\]\.ndim == 2'),
    ]


@pytest.mark.parametrize('args,error,message', _bilstm_cases(),
                         ids=['uni-ws', 'uni-cx', 'weight-count', 'layer1-input-size',
                              'bias-length', 'cx-units', 'cx-dtype', 'xs-dtypes', 'xs-3d'])
def test_bilstm_bad_arguments(args, error, message):
    hx, cx, ws, bs, xs = args
    with pytest.raises(error, match=message) as info:
        F.n_step_bilstm(2, 0.0, hx, cx, ws, bs, xs)
    assert 'n_step_bilstm' in str(info.value)
