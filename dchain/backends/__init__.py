"""Chainer-compatible backend modules (``dchain.backends.cuda``)."""
from dchain.backends import cuda  # noqa: F401
