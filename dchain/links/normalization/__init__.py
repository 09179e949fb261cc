"""Normalization links (``L.BatchNormalization``, ``L.LayerNormalization`` ...)."""
from dchain.links.normalization.batch_normalization import BatchNormalization  # noqa: F401
