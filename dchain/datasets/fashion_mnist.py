"""Fashion-MNIST: 28x28 grayscale images of 10 kinds of clothing, in MNIST's file format."""
import numpy

from dchain.datasets.mnist import load_mnist_like, preprocess_mnist_like

_FASHION_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'
FASHION_MNIST_FILES = {
    'train': (('train-images-idx3-ubyte.gz', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'),
              ('train-labels-idx1-ubyte.gz', '25c81989df183df01b3e8a0aad5dffbe')),
    'test': (('t10k-images-idx3-ubyte.gz', 'bef4ecab320f06d8554ea6380940ec79'),
             ('t10k-labels-idx1-ubyte.gz', 'bb300cfdad3c16e7a12a480ee83cd310')),
}

_LABEL_NAMES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                'Sneaker', 'Bag', 'Ankle boot')


def get_fashion_mnist_labels():
    """Names of the 10 classes, indexed by label."""
    return list(_LABEL_NAMES)


def get_fashion_mnist(withlabel=True, ndim=1, scale=1., dtype=None, label_dtype=numpy.int32,
                      rgb_format=False):
    """Fashion-MNIST: 60000 training and 10000 test images; arguments as :func:`get_mnist`.

    Cached under ``$DCHAIN_DATASET_ROOT/fashion-mnist``.
    """
    raw = load_mnist_like('fashion-mnist', _FASHION_URL, FASHION_MNIST_FILES)
    return tuple(preprocess_mnist_like(raw[split], withlabel, ndim, scale, dtype, label_dtype,
                                       rgb_format) for split in ('train', 'test'))
