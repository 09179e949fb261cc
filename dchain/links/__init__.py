"""Parametrized layers: ``import dchain.links as L``."""
from dchain.links.connection import *  # noqa: F401,F403
