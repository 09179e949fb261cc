"""Links with connection parameters (``L.Linear``, ``L.Convolution2D`` ...)."""
from dchain.links.connection.linear import Linear  # noqa: F401
