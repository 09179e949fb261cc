"""Datasets: general-purpose wrappers (tuple, dict, sub, concatenated, transform) and
loaders of standard datasets (digits, MNIST, Fashion-MNIST, CIFAR, PTB)."""
from dchain.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from dchain.datasets.dict_dataset import DictDataset  # noqa: F401
from dchain.datasets.digits import get_digits  # noqa: F401
from dchain.datasets.sub_dataset import (SubDataset, get_cross_validation_datasets,  # noqa: F401
                                         get_cross_validation_datasets_random, split_dataset,
                                         split_dataset_n, split_dataset_n_random,
                                         split_dataset_random)
from dchain.datasets.tuple_dataset import TupleDataset  # noqa: F401
