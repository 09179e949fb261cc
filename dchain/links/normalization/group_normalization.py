"""Group normalization layer (``L.GroupNormalization``)."""
from dchain import link
from dchain import variable
from dchain.functions.normalization.group_normalization import group_normalization


class GroupNormalization(link.Link):
    """Normalize over groups of channels, then scale and shift per channel (see
    ``F.group_normalization``).

    Args:
        groups (int): number of channel groups.
        size (int or None): number of channels (None: ``x.shape[1]`` of the first input).
        eps (float): added to the variance for stability.
        initial_gamma, initial_beta: initializer, scalar or array (defaults 1 and 0).
    """

    def __init__(self, groups, size=None, eps=1e-5, initial_gamma=None, initial_beta=None):
        super().__init__()
        self.groups = groups
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
        """Normalize ``x`` of shape (B, C, ...)."""
        if self.gamma.array is None:
            if x.ndim < 2:
                raise ValueError('GroupNormalization needs an input of at least 2 dimensions '
                                 '(batch, channels, ...), got shape {}'.format(x.shape))
            self._initialize_params(x.shape[1])
        return group_normalization(x, self.groups, self.gamma, self.beta, self.eps)
