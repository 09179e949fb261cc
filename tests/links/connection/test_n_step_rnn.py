"""Tests of the NStep* links (RNN, LSTM, GRU; uni- and bi-directional)."""
import numpy
import pytest

import dchain.links as L

# (link class, weights per layer, uses a cell state, bi-directional)
LINKS = [(L.NStepRNNTanh, 2, False, False), (L.NStepRNNReLU, 2, False, False),
         (L.NStepBiRNNTanh, 2, False, True), (L.NStepBiRNNReLU, 2, False, True),
         (L.NStepLSTM, 8, True, False), (L.NStepBiLSTM, 8, True, True),
         (L.NStepGRU, 6, False, False), (L.NStepBiGRU, 6, False, True)]


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _step(cls, w, b, x, h, c):
    """One step of one sequence in plain numpy."""
    if cls in (L.NStepLSTM, L.NStepBiLSTM):
        pre = [w[j].dot(x) + b[j] + w[j + 4].dot(h) + b[j + 4] for j in range(4)]
        c = _sigmoid(pre[1]) * c + _sigmoid(pre[0]) * numpy.tanh(pre[2])
        return _sigmoid(pre[3]) * numpy.tanh(c), c
    if cls in (L.NStepGRU, L.NStepBiGRU):
        r = _sigmoid(w[0].dot(x) + b[0] + w[3].dot(h) + b[3])
        z = _sigmoid(w[1].dot(x) + b[1] + w[4].dot(h) + b[4])
        h_bar = numpy.tanh(w[2].dot(x) + b[2] + r * (w[5].dot(h) + b[5]))
        return (1 - z) * h_bar + z * h, c
    pre = w[0].dot(x) + b[0] + w[1].dot(h) + b[1]
    act = numpy.tanh if cls in (L.NStepRNNTanh, L.NStepBiRNNTanh) else \
        (lambda v: numpy.maximum(v, 0))
    return act(pre), c


def _reference(cls, link, xs):
    n_dirs = link.direction
    ws = [[w.array.astype(numpy.float64) for w in ws] for ws in link.ws]
    bs = [[b.array.astype(numpy.float64) for b in bs] for bs in link.bs]
    hy = numpy.zeros((link.n_layers * n_dirs, len(xs), link.out_size))
    ys = []
    for i, seq in enumerate(xs):
        inp = seq.astype(numpy.float64)
        for layer in range(link.n_layers):
            outs = []
            for d in range(n_dirs):
                k = layer * n_dirs + d
                h = numpy.zeros(link.out_size)
                c = numpy.zeros(link.out_size)
                out = [None] * len(inp)
                for t in (range(len(inp)) if d == 0 else reversed(range(len(inp)))):
                    h, c = _step(cls, ws[k], bs[k], inp[t], h, c)
                    out[t] = h
                hy[k, i] = h
                outs.append(numpy.stack(out))
            inp = numpy.concatenate(outs, axis=1)
        ys.append(inp)
    return hy, ys


@pytest.mark.parametrize('cls,n_weights,use_cell,bi', LINKS)
def test_parameters(cls, n_weights, use_cell, bi):
    link = cls(2, 3, 4, 0.0, initial_bias=0.5)
    n_dirs = 2 if bi else 1
    assert len(link) == 2 * n_dirs and link.direction == n_dirs
    params = dict(link.namedparams())
    assert len(params) == 2 * n_dirs * 2 * n_weights
    assert params['/0/w0'].shape == (4, 3)
    assert params['/0/w{}'.format(n_weights - 1)].shape == (4, 4)
    assert params['/{}/w0'.format(n_dirs)].shape == (4, 4 * n_dirs)
    numpy.testing.assert_array_equal(params['/0/b1'].array, numpy.full(4, 0.5, numpy.float32))
    assert len(link.ws) == 2 * n_dirs and len(link.ws[0]) == n_weights


@pytest.mark.parametrize('cls,n_weights,use_cell,bi', LINKS)
def test_forward_and_backward(cls, n_weights, use_cell, bi):
    link = cls(2, 3, 4, 0.0)
    rng = numpy.random.RandomState(0)
    xs = [rng.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (3, 2, 2)]
    out = link(None, None, xs) if use_cell else link(None, xs)
    hy, ys = out[0], out[-1]
    hy_ref, ys_ref = _reference(cls, link, xs)
    numpy.testing.assert_allclose(hy.array, hy_ref, rtol=1e-4, atol=1e-5)
    for y, y_ref in zip(ys, ys_ref):
        numpy.testing.assert_allclose(y.array, y_ref, rtol=1e-4, atol=1e-5)
    if use_cell:
        assert out[1].shape == hy.shape
    from dchain.functions.math.sum import sum as fsum
    s = fsum(ys[0] * ys[0]) + fsum(ys[2] * ys[2])
    link.cleargrads()
    s.backward()
    grads = [p.grad for p in link.params()]
    assert all(g is not None for g in grads)
    assert any(numpy.abs(g).sum() > 0 for g in grads)


def test_initial_states_are_used():
    link = L.NStepLSTM(1, 2, 3, 0.0)
    rng = numpy.random.RandomState(1)
    xs = [rng.randn(2, 2).astype(numpy.float32)]
    hx = rng.randn(1, 1, 3).astype(numpy.float32)
    cx = rng.randn(1, 1, 3).astype(numpy.float32)
    hy0, cy0, _ = link(None, None, xs)
    hy1, cy1, _ = link(hx, cx, xs)
    assert not numpy.allclose(hy0.array, hy1.array)
    assert not numpy.allclose(cy0.array, cy1.array)


def test_unexpected_kwargs():
    with pytest.raises(TypeError):
        L.NStepLSTM(1, 2, 3, 0.0, use_cudnn=True)


@pytest.mark.parametrize('make', [
    lambda: L.NStepLSTM(1, 3, 4, 0.), lambda: L.NStepBiGRU(2, 3, 4, 0.),
    lambda: L.NStepRNNTanh(1, 3, 4, 0.)])
def test_links_accept_any_order_of_lengths(make):
    numpy.random.seed(0)
    link = make()
    rng = numpy.random.RandomState(1)
    xs = [rng.randn(n, 3).astype(numpy.float32) for n in (2, 5, 3)]

    def run(batch):
        return link(None, None, batch) if isinstance(link, L.NStepLSTM) else link(None, batch)

    outputs = run(xs)
    ys = outputs[-1]
    for x, y in zip(xs, ys):
        alone = run([x])
        numpy.testing.assert_allclose(y.array, alone[-1][0].array, rtol=1e-5, atol=1e-6)
        assert y.shape[0] == x.shape[0]
        for state, state_alone in zip(outputs[:-1], alone[:-1]):
            i = [len(v) for v in xs].index(len(x))
            numpy.testing.assert_allclose(state.array[:, i], state_alone.array[:, 0],
                                          rtol=1e-5, atol=1e-6)
