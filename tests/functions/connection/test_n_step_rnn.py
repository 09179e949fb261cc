"""Tests of F.n_step_rnn and F.n_step_birnn against a per-sequence numpy loop."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _act(name):
    return numpy.tanh if name == 'tanh' else (lambda v: numpy.maximum(v, 0))


def _reference(n_layers, hx, ws, bs, xs, n_dirs, act):
    """Run every sequence on its own, one step at a time."""
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
                    h = act(w[0].dot(inp[t]) + b[0] + w[1].dot(h) + b[1])
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
            ws.append([rng.uniform(-.5, .5, (n_units, size)).astype(dtype),
                       rng.uniform(-.5, .5, (n_units, n_units)).astype(dtype)])
            bs.append([rng.uniform(-.5, .5, n_units).astype(dtype) for _ in range(2)])
    return hx, ws, bs, xs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('activation', ['tanh', 'relu'])
@pytest.mark.parametrize('lengths', [[3, 3, 2, 1], [2]])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_forward(bi, activation, lengths, dtype):
    n_dirs = 2 if bi else 1
    hx, ws, bs, xs = _make(2, n_dirs, 3, 4, lengths, dtype)
    fn = F.n_step_birnn if bi else F.n_step_rnn
    hy, ys = fn(2, 0.0, hx, ws, bs, xs, activation=activation)
    hy_ref, ys_ref = _reference(2, hx, ws, bs, xs, n_dirs, _act(activation))
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == numpy.float32 else dict(rtol=1e-10)
    assert hy.shape == hx.shape and hy.dtype == dtype
    numpy.testing.assert_allclose(hy.array, hy_ref, **tol)
    assert len(ys) == len(xs)
    for y, y_ref in zip(ys, ys_ref):
        assert y.shape == (len(y_ref), 4 * n_dirs)
        numpy.testing.assert_allclose(y.array, y_ref, **tol)


def _flat_call(fn, n_layers, hx, ws, bs, xs, **kwargs):
    """Wrap fn so every array is a positional argument (for gradient_check)."""
    shapes = ([len(w) for w in ws], len(xs))

    def f(hx, *args):
        n_w = sum(shapes[0])
        flat_w, flat_b, seqs = args[:n_w], args[n_w:2 * n_w], args[2 * n_w:]
        w_iter, b_iter = iter(flat_w), iter(flat_b)
        ws_ = [[next(w_iter) for _ in range(n)] for n in shapes[0]]
        bs_ = [[next(b_iter) for _ in range(n)] for n in shapes[0]]
        out = fn(n_layers, 0.0, hx, ws_, bs_, list(seqs), **kwargs)
        return (out[0],) + tuple(out[-1]) if len(out) == 2 else \
            (out[0], out[1]) + tuple(out[2])
    inputs = (hx,) + tuple(a for w in ws for a in w) + tuple(a for b in bs for a in b) + \
        tuple(xs)
    return f, inputs


@pytest.mark.parametrize('bi', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(bi, dtype):
    n_dirs = 2 if bi else 1
    hx, ws, bs, xs = _make(2, n_dirs, 2, 3, [3, 2, 2], dtype, 1)
    f, inputs = _flat_call(F.n_step_birnn if bi else F.n_step_rnn, 2, hx, ws, bs, xs)
    rng = numpy.random.RandomState(2)
    outs = f(*inputs)
    gys = tuple(rng.uniform(-1, 1, y.shape).astype(dtype) for y in outs)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else dict(atol=1e-6, rtol=1e-5)
    gradient_check.check_backward(f, inputs, gys, dtype=numpy.float64, eps=1e-3 if
                                  dtype == numpy.float32 else 1e-5, **tol)


def test_double_backward():
    hx, ws, bs, xs = _make(1, 1, 2, 2, [2, 1], numpy.float64, 3)
    f, inputs = _flat_call(F.n_step_rnn, 1, hx, ws, bs, xs)
    rng = numpy.random.RandomState(4)
    outs = f(*inputs)
    gys = tuple(rng.uniform(-1, 1, y.shape) for y in outs)
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in inputs)
    gradient_check.check_double_backward(f, inputs, gys, ggs, dtype=numpy.float64,
                                         atol=1e-5, rtol=1e-4, eps=1e-5)


def test_dropout_only_between_layers():
    hx, ws, bs, xs = _make(1, 1, 3, 4, [2, 1], numpy.float64)
    hy_a, ys_a = F.n_step_rnn(1, 0.9, hx, ws, bs, xs)
    hy_b, ys_b = F.n_step_rnn(1, 0.0, hx, ws, bs, xs)
    numpy.testing.assert_array_equal(hy_a.array, hy_b.array)  # one layer: no dropout
    hx, ws, bs, xs = _make(2, 1, 3, 4, [2, 1], numpy.float64)
    with dchain.using_config('train', False):
        hy_a, _ = F.n_step_rnn(2, 0.9, hx, ws, bs, xs)
    hy_ref, _ = _reference(2, hx, ws, bs, xs, 1, numpy.tanh)
    numpy.testing.assert_allclose(hy_a.array, hy_ref, rtol=1e-10)


def test_hx_none_means_zeros():
    hx, ws, bs, xs = _make(1, 1, 3, 4, [2, 2], numpy.float64)
    hy, ys = F.n_step_rnn(1, 0.0, None, ws, bs, xs)
    hy_ref, _ = _reference(1, numpy.zeros_like(hx), ws, bs, xs, 1, numpy.tanh)
    numpy.testing.assert_allclose(hy.array, hy_ref, rtol=1e-10)


def test_bad_arguments():
    hx, ws, bs, xs = _make(1, 1, 3, 4, [1, 2], numpy.float32)
    with pytest.raises(ValueError):  # not sorted
        F.n_step_rnn(1, 0.0, hx, ws, bs, xs)
    hx, ws, bs, xs = _make(1, 1, 3, 4, [2, 1], numpy.float32)
    with pytest.raises(ValueError):
        F.n_step_rnn(1, 0.0, hx, ws, bs, xs, activation='sigmoid')
    with pytest.raises(ValueError):
        F.n_step_rnn(2, 0.0, hx, ws, bs, xs)
    with pytest.raises(ValueError):
        F.n_step_rnn(1, 0.0, hx[:, :1], ws, bs, xs)
    with pytest.raises(type_check.InvalidType):
        F.n_step_rnn(1, 0.0, hx, ws, bs, [x[:, :2] for x in xs])


def _replaced(lists, i, j, value):
    """A copy of ``ws`` or ``bs`` with entry ``[i][j]`` replaced."""
    out = [list(a) for a in lists]
    out[i][j] = value
    return out


def _birnn_cases():
    hx, ws, bs, xs = _make(2, 2, 3, 4, [3, 2], numpy.float32)
    uni_hx, uni_ws, uni_bs, _ = _make(2, 1, 3, 4, [3, 2], numpy.float32)
    return [
        # Parameters of a uni-directional net: a bi-directional one needs two per layer.
        ((hx, uni_ws, uni_bs, xs), ValueError, r'ws and bs need 4 entries'),
        ((uni_hx, ws, bs, xs), ValueError,
         r'hx must have shape \(n_layers \* directions, batch, units\) = \(4, \.\.\.\), '
         r'got \(2, 2, 4\)'),
        # Layer 1 reads both directions of layer 0 side by side (2N inputs, not N).
        ((hx, _replaced(ws, 2, 0, ws[2][0][:, :4]), bs, xs), type_check.InvalidType,
         r'ws\[2\]\[0\]\.shape\[1\] == ws\[0\]\[1\]\.shape\[0\] \* 2'),
        # The backward direction's recurrent matrix must be (N, N).
        ((hx, _replaced(ws, 1, 1, ws[1][1][:, :3]), bs, xs), type_check.InvalidType,
         r'ws\[1\]\[1\]\.shape\[1\] == ws\[0\]\[1\]\.shape\[0\]'),
        # A short bias failed in a numpy broadcast inside the loop.
        ((hx, ws, _replaced(bs, 1, 1, bs[1][1][:3]), xs), type_check.InvalidType,
         r'bs\[1\]\[1\]\.shape\[0\] == ws\[0\]\[1\]\.shape\[0\]'),
        ((hx[:, :, :3], ws, bs, xs), type_check.InvalidType,
         r'hx\.shape\[2\] == ws\[0\]\[1\]\.shape\[0\]'),
        ((hx, _replaced(ws, 3, 0, ws[3][0].astype(numpy.float64)), bs, xs),
         type_check.InvalidType, r'ws\[3\]\[0\]\.dtype == xs\[0\]\.dtype'),
        ((hx, ws, bs, [x.astype(numpy.int32) for x in xs]), type_check.InvalidType,
         r"xs\[0\]\.dtype\.kind == 'f'"),
        # A 3-d sequence was flattened silently by the input projection.
        ((hx, ws, bs, [x[:, None] for x in xs]), type_check.InvalidType,
         r'xs\[0\]\.ndim == 2'),
        ((hx, ws, bs, [x[:, :2] for x in xs]), type_check.InvalidType,
         r'ws\[0\]\[0\]\.shape\[1\] == xs\[0\]\.shape\[1\]'),
    ]


@pytest.mark.parametrize('args,error,message', _birnn_cases(),
                         ids=['uni-ws', 'uni-hx', 'layer1-input-size', 'recurrent-shape',
                              'bias-length', 'hx-units', 'ws-dtype', 'int-xs', 'xs-3d',
                              'xs-features'])
def test_birnn_bad_arguments(args, error, message):
    hx, ws, bs, xs = args
    with pytest.raises(error, match=message) as info:
        F.n_step_birnn(2, 0.0, hx, ws, bs, xs)
    assert 'n_step_birnn' in str(info.value)
