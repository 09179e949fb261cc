"""Normalization links (``L.BatchNormalization``, ``L.LayerNormalization`` ...)."""
from dchain.links.normalization.batch_normalization import BatchNormalization  # noqa: F401
from dchain.links.normalization.batch_renormalization import BatchRenormalization  # noqa: F401
from dchain.links.normalization.group_normalization import GroupNormalization  # noqa: F401
from dchain.links.normalization.layer_normalization import LayerNormalization  # noqa: F401
