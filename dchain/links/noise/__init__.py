"""Noise links (``L.SimplifiedDropconnect``)."""
from dchain.links.noise.simplified_dropconnect import SimplifiedDropconnect  # noqa: F401
