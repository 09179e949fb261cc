"""ConvNets of the convnet tutorial: LeNet5 (Chain), a VGG (ChainList of blocks), a ResNet.

The VGG and the ResNet are the tutorial's VGG16 and ResNet152 with fewer and narrower
layers, so that they train in seconds on a CPU on small images; the structure (blocks
collected in a ChainList, bottleneck units with a projection shortcut) is the same.
"""
import dchain as chainer
import dchain.functions as F
import dchain.links as L


class LeNet5(chainer.Chain):
    """LeNet5: three convolutions and two fully-connected layers (28x28 or 32x32 inputs)."""

    def __init__(self, n_class=10):
        super().__init__()
        with self.init_scope():
            # in_channels=None lets the same model take gray (digits) or RGB (CIFAR) images.
            self.conv1 = L.Convolution2D(None, 6, ksize=5, stride=1)
            self.conv2 = L.Convolution2D(6, 16, ksize=5, stride=1)
            self.conv3 = L.Convolution2D(16, 120, ksize=4, stride=1)
            self.fc4 = L.Linear(None, 84)
            self.fc5 = L.Linear(84, n_class)

    def forward(self, x):
        h = F.sigmoid(self.conv1(x))
        h = F.max_pooling_2d(h, 2, 2)
        h = F.sigmoid(self.conv2(h))
        h = F.max_pooling_2d(h, 2, 2)
        h = F.sigmoid(self.conv3(h))
        h = F.sigmoid(self.fc4(h))
        return self.fc5(h)


class VGGBlock(chainer.Chain):
    """Two or three 3x3 convolutions with ReLU, then 2x2 max pooling; optionally the head."""

    def __init__(self, n_channels, n_convs=2, fc=None):
        w = chainer.initializers.HeNormal()
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, n_channels, 3, 1, 1, initialW=w)
            self.conv2 = L.Convolution2D(n_channels, n_channels, 3, 1, 1, initialW=w)
            if n_convs == 3:
                self.conv3 = L.Convolution2D(n_channels, n_channels, 3, 1, 1, initialW=w)
            if fc is not None:
                n_hidden, n_class = fc
                self.fc4 = L.Linear(None, n_hidden, initialW=w)
                self.fc5 = L.Linear(n_hidden, n_hidden, initialW=w)
                self.fc6 = L.Linear(n_hidden, n_class, initialW=w)
        self.n_convs = n_convs
        self.fc = fc is not None

    def forward(self, x):
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


class VGG(chainer.ChainList):
    """A VGG as a ChainList of VGGBlocks (VGG16 is widths (64, 128, 256, 512, 512))."""

    def __init__(self, n_class=10, widths=(8, 16, 32), n_hidden=64):
        blocks = [VGGBlock(w, 2 if i < 2 else 3) for i, w in enumerate(widths[:-1])]
        blocks.append(VGGBlock(widths[-1], 3, fc=(n_hidden, n_class)))
        super().__init__(*blocks)

    def forward(self, x):
        for f in self.children():
            x = f(x)
        return x


class BottleNeck(chainer.Chain):
    """1x1 -> 3x3 -> 1x1 convolutions with batch normalization and a residual connection."""

    def __init__(self, n_in, n_mid, n_out, stride=1, proj=False):
        w = chainer.initializers.HeNormal()
        super().__init__()
        with self.init_scope():
            self.conv1x1a = L.Convolution2D(n_in, n_mid, 1, stride, 0, initialW=w, nobias=True)
            self.conv3x3b = L.Convolution2D(n_mid, n_mid, 3, 1, 1, initialW=w, nobias=True)
            self.conv1x1c = L.Convolution2D(n_mid, n_out, 1, 1, 0, initialW=w, nobias=True)
            self.bn_a = L.BatchNormalization(n_mid)
            self.bn_b = L.BatchNormalization(n_mid)
            self.bn_c = L.BatchNormalization(n_out)
            if proj:
                self.conv1x1r = L.Convolution2D(n_in, n_out, 1, stride, 0, initialW=w,
                                                nobias=True)
                self.bn_r = L.BatchNormalization(n_out)
        self.proj = proj

    def forward(self, x):
        h = F.relu(self.bn_a(self.conv1x1a(x)))
        h = F.relu(self.bn_b(self.conv3x3b(h)))
        h = self.bn_c(self.conv1x1c(h))
        if self.proj:
            x = self.bn_r(self.conv1x1r(x))
        return F.relu(h + x)


class ResBlock(chainer.ChainList):
    """``n_layers`` bottlenecks; the first one projects (and strides) the shortcut."""

    def __init__(self, n_layers, n_in, n_mid, n_out, stride=2):
        super().__init__()
        self.add_link(BottleNeck(n_in, n_mid, n_out, stride, True))
        for _ in range(n_layers - 1):
            self.add_link(BottleNeck(n_out, n_mid, n_out))

    def forward(self, x):
        for f in self.children():
            x = f(x)
        return x


class ResNet(chainer.Chain):
    """A small ResNet with the ResNet152 layout (ResNet152 is n_blocks=(3, 8, 36, 3))."""

    def __init__(self, n_class=10, n_blocks=(1, 1, 1), width=8):
        w = chainer.initializers.HeNormal()
        super().__init__()
        with self.init_scope():
            # A 3x3 stem without pooling: the images here are small (28 or 32 pixels).
            self.conv1 = L.Convolution2D(None, width, 3, 1, 1, initialW=w, nobias=True)
            self.bn1 = L.BatchNormalization(width)
            self.res2 = ResBlock(n_blocks[0], width, width, width * 4, 1)
            self.res3 = ResBlock(n_blocks[1], width * 4, width * 2, width * 8)
            self.res4 = ResBlock(n_blocks[2], width * 8, width * 4, width * 16)
            self.fc5 = L.Linear(width * 16, n_class)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.res2(h)
        h = self.res3(h)
        h = self.res4(h)
        h = F.average_pooling_2d(h, h.shape[2:], stride=1)
        return self.fc5(h)


ARCHS = {'lenet5': LeNet5, 'vgg': VGG, 'resnet': ResNet}
