"""F.relu writes into its input's array only when nobody can read that array again
(dchain._temporaries): every way a caller or the graph can still reach the memory keeps it
unchanged, and the result is right either way. (test_relu.py covers a name, a list, views
through F.reshape/F.transpose/F.split_axis and a graph-retained output.)"""
import weakref

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import _native

X = numpy.linspace(-2, 2, 24).reshape(4, 6)
EXPECTED = numpy.maximum(X, 0)


def _check(y, *kept):
    numpy.testing.assert_array_equal(y.array, EXPECTED.reshape(y.shape))
    for array in kept:
        numpy.testing.assert_array_equal(numpy.asarray(array).reshape(X.shape), X)


def test_a_temporary_is_reused():
    # The positive control: without it, the tests below would pass vacuously.
    seen = []

    def make():
        v = dchain.Variable(X.copy())
        seen.append(weakref.ref(v.array))
        return v
    y = F.relu(make())
    assert seen[0]() is y.array
    _check(y)
    # A view of a buffer nobody else sees (a convolution's transposed output) too.
    y = F.relu(F.transpose(make()))
    assert numpy.shares_memory(seen[1](), y.array)
    numpy.testing.assert_array_equal(y.array, EXPECTED.T)


def test_containers_closures_and_attributes_keep_the_variable():
    held = {'list': [dchain.Variable(X.copy())], 'dict': {'v': dchain.Variable(X.copy())}}
    _check(F.relu(held['list'][0]), held['list'][0].array)
    _check(F.relu(held['dict']['v']), held['dict']['v'].array)
    v = dchain.Variable(X.copy())

    def closure():
        return v
    _check(F.relu(closure()), closure().array)

    class Holder:
        pass
    holder = Holder()
    holder.v = dchain.Variable(X.copy())
    _check(F.relu(holder.v), holder.v.array)
    # Only the array is kept (a Variable made on the spot around it).
    kept = [X.copy()]
    _check(F.relu(dchain.Variable(kept[0])), kept[0])
    arrays = {'a': X.copy()}
    _check(F.relu(dchain.Variable(arrays['a'])), arrays['a'])


def test_views_of_the_array_kept_elsewhere():
    keep = []

    def with_view(view):
        a = X.copy()
        keep.append(view(a))
        return dchain.Variable(a)      # only the call holds the Variable and its array
    for view in (lambda a: a[1:, ::2], lambda a: a.T, lambda a: a.reshape(-1)[::-1],
                 lambda a: numpy.lib.stride_tricks.as_strided(a, (2, 6), (a.strides[0], 8)),
                 memoryview):
        y = F.relu(with_view(view))
        numpy.testing.assert_array_equal(y.array, EXPECTED)
        # The view still shows the input's values (negative ones included).
        numpy.testing.assert_array_equal(numpy.asarray(keep[-1]), numpy.asarray(view(X.copy())))
    # The Variable's array is a view whose base the caller keeps.
    base = X.copy()
    _check(F.relu(dchain.Variable(base[:])), base)
    base = X.copy()
    _check(F.relu(dchain.Variable(numpy.ndarray(X.shape, buffer=base))), base)


def test_arrays_retained_by_the_graph():
    graph = []

    def input_kept_by_sin():
        v = dchain.Variable(X.copy())
        graph.append((v, F.sin(v)))        # sin keeps its input for backward
        return dchain.Variable(v.array)    # another Variable on the same array
    _check(F.relu(input_kept_by_sin()))
    v, s = graph.pop()
    s.grad = numpy.ones_like(s.array)
    s.backward()
    numpy.testing.assert_allclose(v.grad, numpy.cos(X))

    def output_kept_by_exp():
        v = dchain.Variable(X.copy())
        e = F.exp(v)                       # exp keeps its output
        graph.append((v, e.creator))
        return dchain.Variable(e.array[:, ::-1])   # a view of it, in a temporary
    y = F.relu(output_kept_by_exp())
    numpy.testing.assert_array_equal(y.array, numpy.exp(X)[:, ::-1])
    v, exp_node = graph.pop()
    numpy.testing.assert_array_equal(exp_node.output_data[0], numpy.exp(X))

    def retained_data():
        v = dchain.Variable(X.copy())
        v.retain_data()
        graph.append(v.node)               # the node keeps the array, not the Variable
        return v
    _check(F.relu(retained_data()), graph.pop().data)


def test_foreign_memory_is_never_overwritten(tmp_path):
    # numpy.frombuffer of a writable bytearray: the bytes object stays the owner.
    raw = bytearray(X.tobytes())
    _check(F.relu(dchain.Variable(numpy.frombuffer(raw).reshape(X.shape))),
           numpy.frombuffer(bytes(raw)))
    _check(F.relu(dchain.Variable(numpy.frombuffer(raw))), numpy.frombuffer(bytes(raw)))
    # A writable memmap (a file on disk), and an ndarray view of one.
    path = str(tmp_path / 'x.dat')
    mm = numpy.memmap(path, dtype=X.dtype, mode='w+', shape=X.shape)
    mm[...] = X
    mm.flush()
    del mm
    _check(F.relu(dchain.Variable(numpy.memmap(path, dtype=X.dtype, mode='r+',
                                               shape=X.shape))))
    _check(F.relu(dchain.Variable(numpy.asarray(numpy.memmap(path, dtype=X.dtype, mode='r+',
                                                             shape=X.shape)))))
    numpy.testing.assert_array_equal(numpy.fromfile(path).reshape(X.shape), X)
    # Read-only arrays (and views of them).
    ro = X.copy()
    ro.flags.writeable = False

    def read_only():
        a = X.copy()
        a.flags.writeable = False
        return dchain.Variable(a)
    _check(F.relu(read_only()))
    _check(F.relu(dchain.Variable(ro)), ro)
    row = X[:1].copy()
    y = F.relu(dchain.Variable(numpy.broadcast_to(row, X.shape)))   # zero strides
    numpy.testing.assert_array_equal(y.array, numpy.maximum(numpy.broadcast_to(row, X.shape), 0))
    numpy.testing.assert_array_equal(row, X[:1])


@pytest.mark.parametrize('available', [True, False])
def test_in_place_relu_before_max_pooling(available, monkeypatch):
    # conv -> relu (in place) -> pool, with and without the kernels: the same values and
    # gradients as the same chain with the ReLU's input kept (no reuse).
    monkeypatch.setattr(_native, 'available', available and _native._lib is not None)
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    rng = numpy.random.RandomState(0)
    x = rng.standard_normal((3, 2, 7, 6)).astype(numpy.float32)
    W = rng.standard_normal((4, 2, 3, 3)).astype(numpy.float32)
    results = []
    for reuse in (True, False):
        xv, Wv = dchain.Variable(x), dchain.Variable(W)
        if reuse:
            y = F.max_pooling_2d(F.relu(F.convolution_2d(xv, Wv, pad=1)), 3, 2, 1)
        else:
            h = F.convolution_2d(xv, Wv, pad=1)
            y = F.max_pooling_2d(F.relu(h), 3, 2, 1)
            assert (h.array < 0).any()    # kept: not overwritten
        y.grad = numpy.ones_like(y.array)
        y.backward()
        results.append((y.array.copy(), xv.grad.copy(), Wv.grad.copy()))
    for got, want in zip(*results):
        numpy.testing.assert_array_equal(got, want)
