"""Loss functions."""
from dchain.functions.loss.softmax_cross_entropy import (  # noqa: F401
    softmax_cross_entropy, SoftmaxCrossEntropy)
from dchain.functions.loss.mean_squared_error import (  # noqa: F401
    mean_squared_error, MeanSquaredError)
from dchain.functions.loss.sigmoid_cross_entropy import (  # noqa: F401
    sigmoid_cross_entropy, SigmoidCrossEntropy)
from dchain.functions.loss.absolute_error import absolute_error, AbsoluteError  # noqa: F401
from dchain.functions.loss.bernoulli_nll import bernoulli_nll  # noqa: F401
from dchain.functions.loss.contrastive import contrastive  # noqa: F401
from dchain.functions.loss.gaussian_kl_divergence import gaussian_kl_divergence  # noqa: F401
from dchain.functions.loss.gaussian_nll import gaussian_nll  # noqa: F401
from dchain.functions.loss.hinge import hinge, Hinge  # noqa: F401
from dchain.functions.loss.huber_loss import huber_loss, HuberLoss  # noqa: F401
from dchain.functions.loss.mean_absolute_error import (  # noqa: F401
    mean_absolute_error, MeanAbsoluteError)
from dchain.functions.loss.squared_error import squared_error, SquaredError  # noqa: F401
from dchain.functions.loss.triplet import triplet  # noqa: F401
from dchain.functions.loss.black_out import black_out  # noqa: F401
from dchain.functions.loss.ctc import (  # noqa: F401
    connectionist_temporal_classification, ConnectionistTemporalClassification)
from dchain.functions.loss.negative_sampling import (  # noqa: F401
    negative_sampling, NegativeSamplingFunction)
from dchain.functions.loss.crf1d import crf1d, argmax_crf1d  # noqa: F401
from dchain.functions.loss.cross_covariance import cross_covariance  # noqa: F401
from dchain.functions.loss.decov import decov  # noqa: F401
