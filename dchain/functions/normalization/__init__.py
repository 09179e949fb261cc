"""Normalization functions (``F.batch_normalization``, ``F.layer_normalization`` ...)."""
from dchain.functions.normalization.batch_normalization import (  # noqa: F401
    batch_normalization, BatchNormalization)
from dchain.functions.normalization.fixed_batch_normalization import (  # noqa: F401
    fixed_batch_normalization, FixedBatchNormalization)
from dchain.functions.normalization.batch_renormalization import (  # noqa: F401
    batch_renormalization)
from dchain.functions.normalization.group_normalization import group_normalization  # noqa: F401
from dchain.functions.normalization.l2_normalization import normalize, NormalizeL2  # noqa: F401
from dchain.functions.normalization.layer_normalization import layer_normalization  # noqa: F401
from dchain.functions.normalization.local_response_normalization import (  # noqa: F401
    local_response_normalization, LocalResponseNormalization)
