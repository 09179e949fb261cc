"""Model-zoo image classification networks (VGG, ResNet) and their image preparation."""
from dchain.links.model.vision._common import PretrainedModelNotFoundError  # noqa: F401
from dchain.links.model.vision.resnet import (
    ResNet50Layers,  # noqa: F401
    ResNet101Layers,  # noqa: F401
    ResNet152Layers,  # noqa: F401
    ResNetLayers,  # noqa: F401
)
from dchain.links.model.vision.vgg import (
    VGG16Layers,  # noqa: F401
    VGG19Layers,  # noqa: F401
    VGGLayers,  # noqa: F401
)
