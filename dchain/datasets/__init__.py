"""Datasets: general-purpose wrappers (tuple, dict, sub, concatenated, transform, files) and
loaders of standard datasets (digits, MNIST, Fashion-MNIST, CIFAR, PTB)."""
from dchain.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from dchain.datasets.cifar import get_cifar10, get_cifar100  # noqa: F401
from dchain.datasets.concatenated_dataset import ConcatenatedDataset  # noqa: F401
from dchain.datasets.dict_dataset import DictDataset  # noqa: F401
from dchain.datasets.digits import get_digits  # noqa: F401
from dchain.datasets.fashion_mnist import (get_fashion_mnist,  # noqa: F401
                                           get_fashion_mnist_labels)
from dchain.datasets.image_dataset import ImageDataset, LabeledImageDataset  # noqa: F401
from dchain.datasets.mnist import get_mnist  # noqa: F401
from dchain.datasets.pickle_dataset import (PickleDataset, PickleDatasetWriter,  # noqa: F401
                                            open_pickle_dataset, open_pickle_dataset_writer)
from dchain.datasets.ptb import get_ptb_words, get_ptb_words_vocabulary  # noqa: F401
from dchain.datasets.sub_dataset import (SubDataset, get_cross_validation_datasets,  # noqa: F401
                                         get_cross_validation_datasets_random, split_dataset,
                                         split_dataset_n, split_dataset_n_random,
                                         split_dataset_random)
from dchain.datasets.text_dataset import TextDataset  # noqa: F401
from dchain.datasets.transform_dataset import TransformDataset  # noqa: F401
from dchain.datasets.tuple_dataset import TupleDataset  # noqa: F401
