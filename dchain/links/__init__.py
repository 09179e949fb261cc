"""Parametrized layers: ``import dchain.links as L``."""
from dchain.links.activation import *  # noqa: F401,F403
from dchain.links.connection import *  # noqa: F401,F403
from dchain.links.loss import *  # noqa: F401,F403
from dchain.links.model import *  # noqa: F401,F403
from dchain.links.noise import *  # noqa: F401,F403
from dchain.links.normalization import *  # noqa: F401,F403
