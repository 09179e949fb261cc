"""Loss links."""
from dchain.links.loss.black_out import BlackOut  # noqa: F401
from dchain.links.loss.crf1d import CRF1d  # noqa: F401
from dchain.links.loss.negative_sampling import NegativeSampling  # noqa: F401
