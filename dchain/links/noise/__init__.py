"""Noise links."""
