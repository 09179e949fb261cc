"""Loss functions."""
from dchain.functions.loss.softmax_cross_entropy import (  # noqa: F401
    softmax_cross_entropy, SoftmaxCrossEntropy)
from dchain.functions.loss.mean_squared_error import (  # noqa: F401
    mean_squared_error, MeanSquaredError)
from dchain.functions.loss.sigmoid_cross_entropy import (  # noqa: F401
    sigmoid_cross_entropy, SigmoidCrossEntropy)
