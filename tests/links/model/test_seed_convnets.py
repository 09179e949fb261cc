"""The seeds' Chain/ChainList examples run on dchain: LeNet5 (two ways), VGG16 of VGGBlocks,
ResNet152 of BottleNecks (seed 002) and MyChain/MyChain2 (seed 003).

The classes are copied from the seeds with ``import dchain as chainer``; deviations fix typos
that Chainer itself would reject and are marked ``# seed fix``.
"""
# The seeds' code is kept as written (Python 2 style super(), a list default argument).
# ruff: noqa: UP008, B006
import io

import numpy
import pytest

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import Chain, ChainList, serializers

# ---------------------------------------------------------------- seed 002


class LeNet5(Chain):
    def __init__(self):
        super(LeNet5, self).__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(
                in_channels=1, out_channels=6, ksize=5, stride=1)
            self.conv2 = L.Convolution2D(
                in_channels=6, out_channels=16, ksize=5, stride=1)
            self.conv3 = L.Convolution2D(
                in_channels=16, out_channels=120, ksize=4, stride=1)
            self.fc4 = L.Linear(None, 84)
            self.fc5 = L.Linear(84, 10)

    def __call__(self, x):
        h = F.sigmoid(self.conv1(x))
        h = F.max_pooling_2d(h, 2, 2)
        h = F.sigmoid(self.conv2(h))
        h = F.max_pooling_2d(h, 2, 2)
        h = F.sigmoid(self.conv3(h))
        h = F.sigmoid(self.fc4(h))
        if chainer.config.train:
            return self.fc5(h)
        return F.softmax(self.fc5(h))


class LeNet5List(Chain):
    # The seed's second LeNet5 (renamed here so both can live in one module).
    def __init__(self):
        super(LeNet5List, self).__init__()
        net = [('conv1', L.Convolution2D(1, 6, 5, 1))]
        net += [('_sigm1', F.Sigmoid())]
        net += [('_mpool1', F.MaxPooling2D(2, 2))]
        net += [('conv2', L.Convolution2D(6, 16, 5, 1))]
        net += [('_sigm2', F.Sigmoid())]
        net += [('_mpool2', F.MaxPooling2D(2, 2))]
        net += [('conv3', L.Convolution2D(16, 120, 4, 1))]
        net += [('_sigm3', F.Sigmoid())]
        net += [('_mpool3', F.MaxPooling2D(2, 2))]
        net += [('fc4', L.Linear(None, 84))]
        net += [('_sigm4', F.Sigmoid())]
        net += [('fc5', L.Linear(84, 10))]
        net += [('_sigm5', F.Sigmoid())]
        with self.init_scope():
            for n in net:
                if not n[0].startswith('_'):
                    setattr(self, n[0], n[1])
        self.forward = net

    def __call__(self, x):
        for n, f in self.forward:
            if not n.startswith('_'):
                x = getattr(self, n)(x)
            else:  # seed fix: the seed lost this `else:` and applied each link twice
                x = f(x)  # (conv1 on its own 6-channel output), which Chainer rejects too
        if chainer.config.train:
            return x
        return F.softmax(x)


class VGG16(chainer.ChainList):
    def __init__(self):
        super(VGG16, self).__init__(
            VGGBlock(256, 3),
            VGGBlock(512, 3),
            VGGBlock(512, 3, True))

    def __call__(self, x):
        for f in self.children():
            x = f(x)
        if chainer.config.train:
            return x
        return F.softmax(x)


class VGGBlock(chainer.Chain):
    def __init__(self, n_channels, n_convs=2, fc=False):
        w = chainer.initializers.HeNormal()
        super(VGGBlock, self).__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, n_channels, 3, 1, 1, initialW=w)
            self.conv2 = L.Convolution2D(
                n_channels, n_channels, 3, 1, 1, initialW=w)
            if n_convs == 3:
                self.conv3 = L.Convolution2D(
                    n_channels, n_channels, 3, 1, 1, initialW=w)
            if fc:
                self.fc4 = L.Linear(None, 4096, initialW=w)
                self.fc5 = L.Linear(4096, 4096, initialW=w)
                self.fc6 = L.Linear(4096, 1000, initialW=w)

        self.n_convs = n_convs
        self.fc = fc

    def __call__(self, x):
        h = F.relu(self.conv1(x))
        h = F.relu(self.conv2(h))
        if self.n_convs == 3:
            h = F.relu(self.conv3(h))
        h = F.max_pooling_2d(h, 2, 2)
        if self.fc:
            h = F.dropout(F.relu(self.fc4(h)))
            h = F.dropout(F.relu(self.fc5(h)))
            h = self.fc6(h)
        return h


class ResNet152(chainer.Chain):
    def __init__(self, n_blocks=[3, 8, 36, 3]):
        w = chainer.initializers.HeNormal()
        super(ResNet152, self).__init__(
            # seed fix: the seed's text lost "conv1=L.Convolution2D(" and the "bn1" line
            # (a SyntaxError in Chainer too); both are used in __call__.
            conv1=L.Convolution2D(
                None, 64, 7, 2, 3, initialW=w, nobias=True),
            bn1=L.BatchNormalization(64),
            res2=ResBlock(n_blocks[0], 64, 64, 256, 1),
            res3=ResBlock(n_blocks[1], 256, 128, 512),
            res4=ResBlock(n_blocks[2], 512, 256, 1024),
            res5=ResBlock(n_blocks[3], 1024, 512, 2048),
            fc6=L.Linear(2048, 1000))

    def __call__(self, x):
        h = self.bn1(self.conv1(x))
        h = F.max_pooling_2d(F.relu(h), 2, 2)
        h = self.res2(h)
        h = self.res3(h)
        h = self.res4(h)
        h = self.res5(h)
        h = F.average_pooling_2d(h, h.shape[2:], stride=1)
        h = self.fc6(h)
        if chainer.config.train:
            return h
        return F.softmax(h)


class ResBlock(chainer.ChainList):
    def __init__(self, n_layers, n_in, n_mid, n_out, stride=2):
        w = chainer.initializers.HeNormal()  # noqa: F841 (unused in the seed too)
        super(ResBlock, self).__init__()
        self.add_link(BottleNeck(n_in, n_mid, n_out, stride, True))
        for _ in range(n_layers - 1):
            self.add_link(BottleNeck(n_out, n_mid, n_out))

    def __call__(self, x):
        for f in self.children():
            x = f(x)
        return x


class BottleNeck(chainer.Chain):
    def __init__(self, n_in, n_mid, n_out, stride=1, proj=False):
        w = chainer.initializers.HeNormal()
        super(BottleNeck, self).__init__()
        with self.init_scope():
            self.conv1x1a = L.Convolution2D(
                n_in, n_mid, 1, stride, 0, initialW=w, nobias=True)
            self.conv3x3b = L.Convolution2D(
                n_mid, n_mid, 3, 1, 1, initialW=w, nobias=True)
            self.conv1x1c = L.Convolution2D(
                n_mid, n_out, 1, 1, 0, initialW=w, nobias=True)
            self.bn_a = L.BatchNormalization(n_mid)
            self.bn_b = L.BatchNormalization(n_mid)
            self.bn_c = L.BatchNormalization(n_out)
            if proj:
                self.conv1x1r = L.Convolution2D(
                    n_in, n_out, 1, stride, 0, initialW=w, nobias=True)
                self.bn_r = L.BatchNormalization(n_out)
        self.proj = proj

    def __call__(self, x):
        h = F.relu(self.bn_a(self.conv1x1a(x)))
        h = F.relu(self.bn_b(self.conv3x3b(h)))
        h = self.bn_c(self.conv1x1c(h))
        if self.proj:
            x = self.bn_r(self.conv1x1r(x))
        return F.relu(h + x)


# ---------------------------------------------------------------- seed 003


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


# ---------------------------------------------------------------- helpers


def _round_trip(model, make_fresh, x, **call_kwargs):
    """save_npz -> load_npz into a fresh model gives identical test-mode outputs."""
    buf = io.BytesIO()
    serializers.save_npz(buf, model, compression=False)
    buf.seek(0)
    fresh = make_fresh()
    if any(p.array is None for p in fresh.params()):
        # Lazily sized layers (in_size None) get their shapes from one forward pass first.
        with chainer.using_config('train', False), chainer.no_backprop_mode():
            fresh(x)
    serializers.load_npz(buf, fresh)
    assert sorted(n for n, _ in fresh.namedparams()) == sorted(n for n, _ in model.namedparams())
    with chainer.using_config('train', False), chainer.no_backprop_mode():
        expected = model(x, **call_kwargs).array
        got = fresh(x, **call_kwargs).array
    numpy.testing.assert_array_equal(got, expected)
    return fresh


def _backward_reaches_all_params(model, loss, x=None):
    model.cleargrads()
    loss.backward()
    for name, p in model.namedparams():
        assert p.grad is not None, name
        assert numpy.isfinite(p.grad).all(), name
    if x is not None:
        assert x.grad is not None and numpy.abs(x.grad).max() > 0


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize('cls', [LeNet5, LeNet5List])
def test_lenet5(cls):
    numpy.random.seed(0)
    model = cls()
    # The seed's own input: MNIST-sized images, here a batch of 4.
    x = numpy.random.rand(4, 1, 28, 28).astype(numpy.float32)
    t = numpy.random.randint(0, 10, size=(4,)).astype(numpy.int32)
    y = model(x)
    assert y.shape == (4, 10)
    if cls is LeNet5List:
        # Its last layer is a sigmoid; the list mixes links with F.Sigmoid()/F.MaxPooling2D
        # node objects, and its links (only) are registered as children.
        assert ((y.array > 0) & (y.array < 1)).all()
        assert sorted(name for name, _ in model.namedlinks(skipself=True)) == \
            ['/conv1', '/conv2', '/conv3', '/fc4', '/fc5']
    assert model.fc4.W.shape == (84, 120)
    loss = F.softmax_cross_entropy(y, t)
    xv = chainer.Variable(x)
    loss = F.softmax_cross_entropy(model(xv), t)
    _backward_reaches_all_params(model, loss, xv)
    with chainer.using_config('train', False):
        prob = model(x).array
    numpy.testing.assert_allclose(prob.sum(axis=1), 1, rtol=1e-5)
    _round_trip(model, cls, x)


def test_lenet5_in_classifier_trains():
    numpy.random.seed(1)
    model = L.Classifier(LeNet5())
    x = numpy.random.rand(8, 1, 28, 28).astype(numpy.float32)
    t = numpy.arange(8).astype(numpy.int32) % 10
    optimizer = chainer.optimizers.Adam(alpha=0.01).setup(model)
    first = float(model(x, t).array)
    for _ in range(15):
        optimizer.update(model, x, t)
    assert float(model(x, t).array) < first


def test_lenet5_list_node_objects_are_reusable():
    # The same F.Sigmoid()/F.MaxPooling2D objects are applied on every call.
    numpy.random.seed(2)
    model = LeNet5List()
    x = numpy.random.rand(2, 1, 28, 28).astype(numpy.float32)
    first = model(x).array
    second = model(x).array
    numpy.testing.assert_array_equal(first, second)


def test_vgg16_chainlist():
    numpy.random.seed(3)
    model = VGG16()
    assert len(model) == 3 and isinstance(model[2], VGGBlock)
    # Small input: three 2x2 poolings take 8x8 to 1x1, so fc4 sees 512 features.
    x = chainer.Variable(numpy.random.rand(2, 3, 8, 8).astype(numpy.float32))
    y = model(x)
    assert y.shape == (2, 1000)
    assert model[2].fc4.W.shape == (4096, 512)
    assert not hasattr(model[0], 'fc4') and hasattr(model[0], 'conv3')
    _backward_reaches_all_params(model, F.sum(y * y), x)
    names = sorted(n for n, _ in model.namedparams())
    assert '/0/conv1/W' in names and '/2/fc6/b' in names
    with chainer.using_config('train', False):
        prob = model(x).array
    numpy.testing.assert_allclose(prob.sum(axis=1), 1, rtol=1e-5)
    _round_trip(model, VGG16, x.array)


def test_resnet152_bottlenecks():
    numpy.random.seed(4)
    # The seed's n_blocks=[3, 8, 36, 3] is 152 layers; the class takes the block counts, so a
    # [2, 1, 1, 1] configuration exercises the same classes (projection and identity
    # BottleNecks) in a fraction of the time.
    model = ResNet152(n_blocks=[2, 1, 1, 1])
    assert isinstance(model.res2, ChainList) and len(model.res2) == 2
    assert model.res2[0].proj and not model.res2[1].proj
    assert not hasattr(model.res2[1], 'conv1x1r')
    x = chainer.Variable(numpy.random.rand(2, 3, 32, 32).astype(numpy.float32))
    y = model(x)
    assert y.shape == (2, 1000)
    t = numpy.array([3, 5], numpy.int32)
    _backward_reaches_all_params(model, F.softmax_cross_entropy(y, t), x)
    # Running statistics of BatchNormalization are persistents and round-trip too.
    assert not numpy.array_equal(model.res2[0].bn_a.avg_mean, 0)
    with chainer.using_config('train', False):
        prob = model(x).array
    numpy.testing.assert_allclose(prob.sum(axis=1), 1, rtol=1e-5)
    fresh = _round_trip(model, lambda: ResNet152(n_blocks=[2, 1, 1, 1]), x.array)
    numpy.testing.assert_array_equal(fresh.res5[0].bn_r.avg_var, model.res5[0].bn_r.avg_var)


def test_resnet152_default_structure():
    # The full configuration builds with the seed's block counts (no forward: 60M weights).
    block = ResBlock(36, 512, 256, 1024)
    assert len(block) == 36
    assert block[0].conv1x1a.W.shape == (256, 512, 1, 1)
    assert block[35].conv1x1c.W.shape == (1024, 256, 1, 1)


@pytest.mark.parametrize('cls', [MyChain, MyChain2])
def test_my_chain(cls):
    numpy.random.seed(5)
    model = cls()
    x = chainer.Variable(numpy.random.rand(5, 4).astype(numpy.float32))
    y = model(x)
    assert y.shape == (5, 2)
    # Reference with plain numpy from the parameters.
    layers = [model.l1, model.l2] if cls is MyChain else [model[0], model[1]]
    h = x.array @ layers[0].W.array.T + layers[0].b.array
    expected = h @ layers[1].W.array.T + layers[1].b.array
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-6)
    _backward_reaches_all_params(model, F.sum(y), x)
    numpy.testing.assert_allclose(layers[1].b.grad, numpy.full(2, 5.0))
    # The seed's next step: SGD with weight decay on MyChain.
    optimizer = chainer.optimizers.SGD().setup(model)
    optimizer.add_hook(chainer.optimizer_hooks.WeightDecay(0.0005))
    before = layers[0].W.array.copy()
    optimizer.update()
    assert not numpy.array_equal(before, layers[0].W.array)
    _round_trip(model, cls, x.array)
