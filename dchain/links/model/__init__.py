"""Model links."""
from dchain.links.model.classifier import Classifier  # noqa: F401
