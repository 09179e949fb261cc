"""Fully connected layer (``L.Linear``)."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.connection.linear import linear


class Linear(link.Link):
    """Fully connected layer ``y = x W^T + b``.

    Args:
        in_size (int or None): input dimension; None infers it from the first input
            (the parameter ``W`` is initialized lazily then).
        out_size (int): output dimension. ``Linear(n)`` means ``Linear(None, n)``.
        nobias (bool): no bias term.
        initialW: initializer, scalar or array for ``W`` (default: LeCunNormal).
        initial_bias: initializer, scalar or array for ``b`` (default: 0).

    Attributes:
        W (Parameter): weight of shape ``(out_size, in_size)``.
        b (Parameter): bias of shape ``(out_size,)``, or None with ``nobias``.
    """

    def __init__(self, in_size, out_size=None, nobias=False, initialW=None,
                 initial_bias=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.in_size = in_size
        self.out_size = out_size
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

    def printable_specs(self):
        yield 'in_size', self.in_size
        yield 'out_size', self.out_size
        yield 'nobias', self.b is None

    def forward(self, x, n_batch_axes=1):
        """Apply to ``x``; the first ``n_batch_axes`` axes are batch axes."""
        if self.W.array is None:
            in_size = 1
            for s in x.shape[n_batch_axes:]:
                in_size *= s
            self._initialize_params(in_size)
        return linear(x, self.W, self.b, n_batch_axes=n_batch_axes)
