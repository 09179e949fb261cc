"""Model links."""
from dchain.links.model.classifier import Classifier  # noqa: F401
from dchain.links.model.vision import ResNet101Layers  # noqa: F401
from dchain.links.model.vision import ResNet152Layers  # noqa: F401
from dchain.links.model.vision import ResNet50Layers  # noqa: F401
from dchain.links.model.vision import VGG16Layers  # noqa: F401
from dchain.links.model.vision import VGG19Layers  # noqa: F401
