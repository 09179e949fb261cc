"""L.CRF1d: loss and argmax in both layouts agree with F.crf1d; the cost gets gradients."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


def _batch_major(seed=0, lengths=(2, 4, 1, 3), k=3):
    rng = numpy.random.RandomState(seed)
    xs = [rng.randn(n, k).astype(numpy.float32) for n in lengths]
    ys = [rng.randint(0, k, n).astype(numpy.int32) for n in lengths]
    return xs, ys


def _time_major(seqs):
    order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))
    seqs = [seqs[i] for i in order]
    return [numpy.stack([s[i] for s in seqs if len(s) > i])
            for i in range(len(seqs[0]))], order


def test_default_cost_is_zero_and_initializer_used():
    assert numpy.all(L.CRF1d(3).cost.array == 0)
    assert L.CRF1d(3).cost.shape == (3, 3)
    numpy.testing.assert_array_equal(L.CRF1d(2, initial_cost=1.5).cost.array,
                                     numpy.full((2, 2), 1.5, numpy.float32))


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_transpose_matches_time_major(reduce):
    xs, ys = _batch_major()
    crf = L.CRF1d(3, initial_cost=numpy.random.RandomState(1).randn(3, 3).astype('f'))
    txs, order = _time_major(xs)
    tys, _ = _time_major(ys)
    expected = crf(txs, tys, reduce=reduce)
    got = crf([dchain.Variable(x) for x in xs], ys, reduce=reduce, transpose=True)
    if reduce == 'no':
        # Time-major results follow the sorted order; transpose=True keeps the given one.
        numpy.testing.assert_allclose(got.array[order], expected.array, rtol=1e-6)
    else:
        numpy.testing.assert_allclose(got.array, expected.array, rtol=1e-6)
        numpy.testing.assert_allclose(
            got.array, F.crf1d(crf.cost.array, txs, tys).array, rtol=1e-6)


def test_gradients_reach_cost_and_inputs():
    xs, ys = _batch_major()
    crf = L.CRF1d(3)
    vs = [dchain.Variable(x) for x in xs]
    crf(vs, ys, transpose=True).backward()
    assert crf.cost.grad is not None and numpy.abs(crf.cost.grad).sum() > 0
    assert all(v.grad is not None and v.grad.shape == v.shape for v in vs)


def test_argmax_transpose():
    xs, _ = _batch_major()
    crf = L.CRF1d(3, initial_cost=numpy.random.RandomState(2).randn(3, 3).astype('f'))
    score, path = crf.argmax(xs, transpose=True)
    txs, order = _time_major(xs)
    t_score, t_path = crf.argmax(txs)
    assert [len(p) for p in path] == [len(x) for x in xs]
    for rank, b in enumerate(order):
        numpy.testing.assert_array_equal(path[b], [p[rank] for p in t_path if len(p) > rank])
        numpy.testing.assert_allclose(score.array[b], t_score.array[rank], rtol=1e-6)
    # The best path's score is the score of that path, and no other path beats it.
    cost = crf.cost.array
    rng = numpy.random.RandomState(3)
    def path_score(x, y):
        return x[numpy.arange(len(x)), y].sum() + cost[y[:-1], y[1:]].sum()
    for b, x in enumerate(xs):
        numpy.testing.assert_allclose(score.array[b], path_score(x, path[b]), rtol=1e-6)
        for _ in range(10):
            assert path_score(x, rng.randint(0, 3, len(x))) <= score.array[b] + 1e-6
