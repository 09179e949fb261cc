"""Activation links (``L.PReLU``, ``L.Maxout``, ``L.Swish``)."""
from dchain.links.activation.maxout import Maxout  # noqa: F401
from dchain.links.activation.prelu import PReLU  # noqa: F401
from dchain.links.activation.swish import Swish  # noqa: F401
