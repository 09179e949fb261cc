"""Tests of F.n_step_gru and F.n_step_bigru against a per-sequence numpy loop."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(n_layers, hx, ws, bs, xs, n_dirs):
    ys, hy = [], numpy.zeros_like(hx)
    for i, seq in enumerate(xs):
        inp = seq
        for layer in range(n_layers):
            outs = []
            for d in range(n_dirs):
                k = layer * n_dirs + d
                w, b = ws[k], bs[k]
                h = hx[k, i]
                out = [None] * len(inp)
                steps = range(len(inp)) if d == 0 else reversed(range(len(inp)))
                for t in steps:
                    x = inp[t]
                    r = _sigmoid(w[0].dot(x) + b[0] + w[3].dot(h) + b[3])
                    z = _sigmoid(w[1].dot(x) + b[1] + w[4].dot(h) + b[4])
                    h_bar = numpy.tanh(w[2].dot(x) + b[2] + r * (w[5].dot(h) + b[5]))
                    h = (1 - z) * h_bar + z * h
                    out[t] = h
                hy[k, i] = h
                outs.append(numpy.stack(out))
            inp = numpy.concatenate(outs, axis=1)
        ys.append(inp)
    return hy, ys


def _make(n_layers, n_dirs, in_size, n_units, lengths, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    xs = [rng.uniform(-1, 1, (n, in_size)).astype(dtype) for n in lengths]
    hx = rng.uniform(-1, 1, (n_layers * n_dirs, len(lengths), n_units)).astype(dtype)
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(n_dirs):
            size = in_size if layer == 0 else n_units * n_dirs
            ws.append([rng.uniform(-.5, .5, (n_units, size if j < 3 else n_units))
                       .astype(dtype) for j in range(6)])
            bs.append([rng.uniform(-.5, .5, n_units).astype(dtype) for _ in range(6)])
    return hx, ws, bs, xs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('lengths', [[3, 2, 2, 1], [2]])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_forward(bi, lengths, dtype):
    n_dirs = 2 if bi else 1
    hx, ws, bs, xs = _make(2, n_dirs, 3, 4, lengths, dtype)
    fn = F.n_step_bigru if bi else F.n_step_gru
    hy, ys = fn(2, 0.0, hx, ws, bs, xs)
    hy_ref, ys_ref = _reference(2, hx, ws, bs, xs, n_dirs)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == numpy.float32 else dict(rtol=1e-10)
    numpy.testing.assert_allclose(hy.array, hy_ref, **tol)
    for y, y_ref in zip(ys, ys_ref):
        assert y.shape == (len(y_ref), 4 * n_dirs)
        numpy.testing.assert_allclose(y.array, y_ref, **tol)


def _flat(fn, n_layers, hx, ws, bs, xs):
    n_w = len(ws) * 6

    def f(hx, *args):
        it_w, it_b = iter(args[:n_w]), iter(args[n_w:2 * n_w])
        ws_ = [[next(it_w) for _ in range(6)] for _ in ws]
        bs_ = [[next(it_b) for _ in range(6)] for _ in bs]
        hy, ys = fn(n_layers, 0.0, hx, ws_, bs_, list(args[2 * n_w:]))
        return (hy,) + tuple(ys)
    inputs = (hx,) + tuple(a for w in ws for a in w) + tuple(a for b in bs for a in b) + \
        tuple(xs)
    return f, inputs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(bi, dtype):
    hx, ws, bs, xs = _make(2, 2 if bi else 1, 2, 2, [3, 1], dtype, 1)
    f, inputs = _flat(F.n_step_bigru if bi else F.n_step_gru, 2, hx, ws, bs, xs)
    rng = numpy.random.RandomState(2)
    gys = tuple(rng.uniform(-1, 1, y.shape).astype(dtype) for y in f(*inputs))
    tol = dict(atol=1e-3, rtol=1e-3, eps=1e-3) if dtype == numpy.float32 else \
        dict(atol=1e-6, rtol=1e-5, eps=1e-5)
    gradient_check.check_backward(f, inputs, gys, dtype=numpy.float64, **tol)


def test_double_backward():
    hx, ws, bs, xs = _make(1, 1, 2, 2, [2, 1], numpy.float64, 3)
    f, inputs = _flat(F.n_step_gru, 1, hx, ws, bs, xs)
    rng = numpy.random.RandomState(4)
    gys = tuple(rng.uniform(-1, 1, y.shape) for y in f(*inputs))
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in inputs)
    gradient_check.check_double_backward(f, inputs, gys, ggs, dtype=numpy.float64,
                                         atol=1e-5, rtol=1e-4, eps=1e-5)


def test_bad_arguments():
    hx, ws, bs, xs = _make(1, 1, 3, 4, [2, 1], numpy.float32)
    with pytest.raises(ValueError):
        F.n_step_gru(1, 0.0, hx, [w[:2] for w in ws], bs, xs)
    with pytest.raises(type_check.InvalidType):
        F.n_step_gru(1, 0.0, hx, ws, bs, [x[:, :2] for x in xs])


def _replaced(lists, i, j, value):
    """A copy of ``ws`` or ``bs`` with entry ``[i][j]`` replaced."""
    out = [list(a) for a in lists]
    out[i][j] = value
    return out


def _bigru_cases():
    hx, ws, bs, xs = _make(2, 2, 3, 4, [3, 2], numpy.float32)
    uni_hx, uni_ws, uni_bs, _ = _make(2, 1, 3, 4, [3, 2], numpy.float32)
    return [
        # Parameters of a uni-directional net: a bi-directional one needs two per layer.
        ((hx, uni_ws, uni_bs, xs), ValueError, r'ws and bs need 4 entries'),
        ((uni_hx, ws, bs, xs), ValueError,
         r'hx must have shape \(n_layers \* directions, batch, units\) = \(4, \.\.\.\), '
         r'got \(2, 2, 4\)'),
        # Layer 1 reads both directions of layer 0 side by side (2N inputs, not N): this
        # failed in a Concat of the gate matrices.
        ((hx, _replaced(ws, 2, 1, ws[2][1][:, :4]), bs, xs), type_check.InvalidType,
         r'ws\[2\]\[1\]\.shape\[1\] == ws\[0\]\[5\]\.shape\[0\] \* 2'),
        ((hx, _replaced(ws, 1, 4, ws[1][4][:, :3]), bs, xs), type_check.InvalidType,
         r'ws\[1\]\[4\]\.shape\[1\] == ws\[0\]\[5\]\.shape\[0\]'),
        # A short bias failed in a numpy broadcast inside the loop.
        ((hx, ws, _replaced(bs, 3, 5, bs[3][5][:3]), xs), type_check.InvalidType,
         r'bs\[3\]\[5\]\.shape\[0\] == ws\[0\]\[5\]\.shape\[0\]'),
        ((hx.astype(numpy.float64), ws, bs, xs), type_check.InvalidType,
         r'hx\.dtype == xs\[0\]\.dtype'),
        ((hx, _replaced(ws, 1, 0, ws[1][0].astype(numpy.float64)), bs, xs),
         type_check.InvalidType, r'ws\[1\]\[0\]\.dtype == xs\[0\]\.dtype'),
        # 1-d sequences: the error named LinearFunction's x.shape[1].
        ((hx, ws, bs, [x[:, 0] for x in xs]), type_check.InvalidType, r'xs\[0\]\.ndim == 2'),
    ]


@pytest.mark.parametrize('args,error,message', _bigru_cases(),
                         ids=['uni-ws', 'uni-hx', 'layer1-input-size', 'recurrent-shape',
                              'bias-length', 'hx-dtype', 'ws-dtype', 'xs-1d'])
def test_bigru_bad_arguments(args, error, message):
    hx, ws, bs, xs = args
    with pytest.raises(error, match=message) as info:
        F.n_step_bigru(2, 0.0, hx, ws, bs, xs)
    assert 'n_step_bigru' in str(info.value)
