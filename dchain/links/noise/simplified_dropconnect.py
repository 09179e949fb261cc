"""Fully connected layer with DropConnect on its weights (``L.SimplifiedDropconnect``)."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.noise.simplified_dropconnect import simplified_dropconnect


class SimplifiedDropconnect(link.Link):
    """Linear layer whose weights are dropped at random while training.

    Args:
        in_size (int or None): input size (None: inferred on the first call).
            ``SimplifiedDropconnect(n)`` means ``SimplifiedDropconnect(None, n)``.
        out_size (int): output size.
        ratio (float): probability of dropping each weight.
        nobias (bool): no bias term.
        initialW: initializer, scalar or array for ``W`` (default: LeCunNormal).
        initial_bias: initializer, scalar or array for ``b`` (default: 0).

    Attributes:
        W (Parameter): weight of shape ``(out_size, in_size)``.
        b (Parameter): bias of shape ``(out_size,)``, or None.
    """

    def __init__(self, in_size, out_size=None, ratio=.5, nobias=False, initialW=None,
                 initial_bias=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.out_size = out_size
        self.ratio = ratio
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            out_size)

    def _initialize_params(self, in_size):
        self.W.initialize((self.out_size, in_size))

    def forward(self, x, train=True, mask=None, use_batchwise_mask=True):
        """Apply the layer.

        Args:
            x: input of shape ``(N, ...)``, flattened to ``(N, in_size)``.
            train (bool): drop weights only when True.
            mask (array): 0/1 mask to use instead of sampling one.
            use_batchwise_mask (bool): a separate mask for each example.
        """
        if self.W.array is None:
            self._initialize_params(x.size // x.shape[0])
        return simplified_dropconnect(x, self.W, self.b, self.ratio, train, mask,
                                      use_batchwise_mask)
