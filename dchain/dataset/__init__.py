"""Dataset infrastructure: DatasetMixin, the Iterator interface, converters, the download
cache."""
from dchain.dataset.convert import (Converter, concat_examples, converter,  # noqa: F401
                                    to_device)
from dchain.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from dchain.dataset.download import (cache_or_load_file, cached_download,  # noqa: F401
                                     get_dataset_directory, get_dataset_root, set_dataset_root)
from dchain.dataset.iterator import Iterator  # noqa: F401
