"""Link, Chain, ChainList, Sequential: registration, traversal, copies, devices, serialize."""
import copy

import numpy
import pytest

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import Chain, ChainList, Link, Parameter, Variable, initializers


class MyChain(Chain):
    def __init__(self):
        super(MyChain, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(4, 3)
            self.l2 = L.Linear(3, 2)

    def forward(self, x):
        h = self.l1(x)
        return self.l2(h)


class MyChain2(ChainList):
    def __init__(self):
        super(MyChain2, self).__init__(
            L.Linear(4, 3),
            L.Linear(3, 2),
        )

    def forward(self, x):
        h = self[0](x)
        return self[1](h)


class EltwiseParamProduct(Link):
    def __init__(self, shape):
        super(EltwiseParamProduct, self).__init__()
        with self.init_scope():
            self.W = chainer.Parameter(initializers.Normal(scale=1.), shape)

    def __call__(self, x):
        return self.W * x


class DictSerializer:
    """Minimal serializer following the protocol: saves into / loads from a flat dict."""

    def __init__(self, target, prefix='', load=False):
        self.target, self.prefix, self.load = target, prefix, load

    def __getitem__(self, key):
        return DictSerializer(self.target, self.prefix + key + '/', self.load)

    def __call__(self, key, value):
        path = self.prefix + key
        if not self.load:
            self.target[path] = None if value is None else numpy.array(value)
            return value
        loaded = self.target[path]
        if isinstance(value, numpy.ndarray):
            value[...] = loaded
            return value
        return loaded


def _x(n=2, d=4):
    return Variable(numpy.random.RandomState(0).randn(n, d).astype(numpy.float32))


def test_seed_chain_and_chainlist_forward_backward():
    for model in (MyChain(), MyChain2()):
        y = model(_x())
        assert y.shape == (2, 2)
        model.cleargrads()
        F.sum(y).backward()
        assert all(p.grad is not None for p in model.params())
        assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2


def test_namedparams_and_links():
    model = MyChain()
    names = sorted(name for name, _ in model.namedparams())
    assert names == ['/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [name for name, _ in model.namedlinks()] == ['/', '/l1', '/l2']
    assert [name for name, _ in MyChain2().namedlinks(skipself=True)] == ['/0', '/1']
    assert sorted(n for n, _ in MyChain2().namedparams()) == ['/0/W', '/0/b', '/1/W', '/1/b']
    assert list(model.children()) == [model.l1, model.l2]
    assert model['l1'] is model.l1
    assert model.l1.name == 'l1'


def test_user_defined_link():
    link = EltwiseParamProduct((3,))
    assert [n for n, _ in link.namedparams()] == ['/W']
    y = link(Variable(numpy.ones(3, dtype=numpy.float32)))
    numpy.testing.assert_allclose(y.array, link.W.array)


def test_assignment_outside_init_scope_is_not_registered():
    link = Link()
    link.W = Parameter(numpy.zeros(2, numpy.float32))
    assert list(link.params()) == []


def test_add_param_persistent_and_link():
    link = Link()
    link.add_param('w', (2, 3))
    assert link.w.shape == (2, 3) and numpy.isnan(link.w.array).all()
    link.add_param('u', initializer=initializers.Constant(1.0))
    assert link.u.array is None
    link.add_persistent('count', 0)
    link.add_persistent('stat', numpy.zeros(3))
    with pytest.raises(AttributeError, match='already exists'):
        link.add_param('w')
    chain = Chain()
    chain.add_link('child', link)
    assert chain.child is link and list(chain.children()) == [link]
    with pytest.raises(TypeError, match='non-link'):
        chain.add_link('bad', object())


def test_missing_super_init_is_explained():
    class Broken(Link):
        def __init__(self):
            with self.init_scope():
                self.W = Parameter(numpy.zeros(1, numpy.float32))

    with pytest.raises(RuntimeError, match='super'):
        Broken()


def test_lazy_linear():
    f = L.Linear(2)
    assert f.W.array is None
    y = f(Variable(numpy.ones((2, 5), dtype=numpy.float32)))
    assert f.W.shape == (2, 5) and y.shape == (2, 2)


def test_cleargrads_zerograds_addgrads():
    a, b = MyChain(), MyChain()
    b.copyparams(a)
    for m in (a, b):
        m.cleargrads()
        F.sum(m(_x())).backward()
    ga = {n: p.grad.copy() for n, p in a.namedparams()}
    a.addgrads(b)
    for n, p in a.namedparams():
        numpy.testing.assert_allclose(p.grad, 2 * ga[n])
    a.cleargrads()
    assert all(p.grad is None for p in a.params())
    with pytest.warns(DeprecationWarning):
        a.zerograds()
    assert all((p.grad == 0).all() for p in a.params())


def test_copyparams_copies_values_not_objects():
    a, b = MyChain(), MyChain()
    b.copyparams(a)
    for (_, pa), (_, pb) in zip(a.namedparams(), b.namedparams()):
        numpy.testing.assert_array_equal(pa.array, pb.array)
        assert pa.array is not pb.array


@pytest.mark.parametrize('mode', ['share', 'copy', 'init'])
def test_copy_modes(mode):
    numpy.random.seed(0)
    a = MyChain()
    b = a.copy(mode)
    assert b is not a and b.l1 is not a.l1 and b.l1.W is not a.l1.W
    same = b.l1.W.array is a.l1.W.array
    assert same == (mode == 'share')
    if mode == 'copy':
        numpy.testing.assert_array_equal(b.l1.W.array, a.l1.W.array)
    if mode == 'init':
        assert not numpy.array_equal(b.l1.W.array, a.l1.W.array)
    # Gradients are never shared.
    a.cleargrads()
    F.sum(a(_x())).backward()
    assert b.l1.W.grad is None


def test_copy_rejects_unknown_mode():
    with pytest.raises(ValueError, match='copy mode'):
        MyChain().copy('deep')


def test_repeat_makes_sequential():
    block = L.Linear(3, 3)
    seq = block.repeat(3)
    assert len(seq) == 3 and isinstance(seq, chainer.Sequential)
    assert len(list(seq.params())) == 6
    y = seq(Variable(numpy.ones((1, 3), dtype=numpy.float32)))
    assert y.shape == (1, 3)
    assert len(block.repeat(0)) == 0


def test_sequential_with_functions():
    seq = chainer.Sequential(L.Linear(4, 3), F.tanh, L.Linear(3, 2))
    assert seq(_x()).shape == (2, 2)
    assert len(list(seq.params())) == 4
    assert [n for n, _ in seq.namedlinks(skipself=True)] == ['/0', '/1']


def test_serialize_round_trip_through_protocol():
    a, b = MyChain(), MyChain()
    a.l1.add_persistent('steps', 7)
    b.l1.add_persistent('steps', 0)
    store = {}
    a.serialize(DictSerializer(store))
    assert set(store) == {'l1/W', 'l1/b', 'l1/steps', 'l2/W', 'l2/b'}
    b.serialize(DictSerializer(store, load=True))
    x = _x()
    numpy.testing.assert_array_equal(a(x).array, b(x).array)
    assert b.l1.steps == 7


def test_serialize_initializes_lazy_parameter_on_load():
    a = L.Linear(3, 2)
    b = L.Linear(2)
    store = {}
    a.serialize(DictSerializer(store))
    b.serialize(DictSerializer(store, load=True))
    numpy.testing.assert_array_equal(b.W.array, a.W.array)


def test_device_errors_and_cpu_moves():
    model = MyChain()
    assert model.to_cpu() is model and model.xp is numpy
    with pytest.raises(ValueError, match='specifier'):
        model.to_device('@npu:0')
    with pytest.raises(ValueError, match='intel64'):
        model.to_intel64()
    if not chainer.cuda.available:
        with pytest.raises(RuntimeError, match=r'dchain\[gpu\]'):
            model.to_gpu()


def test_deepcopy_and_repr():
    model = MyChain()
    clone = copy.deepcopy(model)
    numpy.testing.assert_array_equal(clone.l1.W.array, model.l1.W.array)
    assert 'Linear(in_size=4, out_size=3, nobias=False)' in repr(model)


def test_count_params_warns_for_uninitialized():
    with pytest.warns(UserWarning, match='not initialized'):
        assert L.Linear(3).count_params() == 3


def test_to_device_goes_through_each_child():
    moved = []

    class Recording(Link):
        def to_device(self, device):
            moved.append(str(chainer.get_device(device)))
            return super().to_device(device)

    chain = Chain()
    with chain.init_scope():
        chain.a = Recording()
        chain.b = L.Linear(2, 2)
    listed = ChainList(Recording())
    chain.to_device('@numpy')
    listed.to_device(-1)
    assert moved == ['@numpy', '@numpy']
