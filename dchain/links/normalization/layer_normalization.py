"""Layer normalization layer (``L.LayerNormalization``)."""
from dchain import link
from dchain import utils
from dchain import variable
from dchain.functions.normalization.layer_normalization import layer_normalization


class LayerNormalization(link.Link):
    """Normalize each sample over its features, then scale and shift (see
    ``F.layer_normalization``).

    Args:
        size (int or None): number of features (None: ``prod(x.shape[1:])`` of the first
            input).
        eps (float): added to the variance for stability.
        initial_gamma, initial_beta: initializer, scalar or array (defaults 1 and 0).
    """

    def __init__(self, size=None, eps=1e-6, initial_gamma=None, initial_beta=None):
        super().__init__()
        self.eps = eps
        with self.init_scope():
            self.gamma = variable.Parameter(1 if initial_gamma is None else initial_gamma)
            self.beta = variable.Parameter(0 if initial_beta is None else initial_beta)
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size):
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x):
        """Normalize ``x`` of shape (B, ...)."""
        if self.gamma.array is None:
            self._initialize_params(utils.size_of_shape(x.shape[1:]))
        return layer_normalization(x, self.gamma, self.beta, self.eps)
