"""Normalization functions (``F.batch_normalization``, ``F.layer_normalization`` ...)."""
from dchain.functions.normalization.batch_normalization import (  # noqa: F401
    batch_normalization, BatchNormalization)
from dchain.functions.normalization.fixed_batch_normalization import (  # noqa: F401
    fixed_batch_normalization, FixedBatchNormalization)
