"""Bilinear layer (``L.Bilinear``)."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.connection.bilinear import bilinear


class Bilinear(link.Link):
    """Bilinear layer on two inputs (see ``F.bilinear``).

    Args:
        left_size (int): size of the left input ``e1``.
        right_size (int): size of the right input ``e2``.
        out_size (int): output size.
        nobias (bool): use only the bilinear term (no ``V1``, ``V2``, ``b``).
        initialW: initializer of ``W`` (default: LeCunNormal).
        initial_bias: ``(V1, V2, b)`` initializers (default: zeros); a tuple of three.

    Attributes:
        W (Parameter): ``(left_size, right_size, out_size)``.
        V1 (Parameter): ``(left_size, out_size)``; V2: ``(right_size, out_size)``;
        b (Parameter): ``(out_size,)`` (these three are absent with ``nobias``).
    """

    def __init__(self, left_size, right_size, out_size, nobias=False, initialW=None,
                 initial_bias=None):
        super().__init__()
        self.in_sizes = (left_size, right_size)
        self.nobias = nobias
        with self.init_scope():
            shape = (left_size, right_size, out_size)
            self.W = variable.Parameter(initializers._get_initializer(initialW), shape)
            if not nobias:
                if initial_bias is None:
                    initial_bias = (0, 0, 0)
                elif not (isinstance(initial_bias, tuple) and len(initial_bias) == 3):
                    raise ValueError('initial_bias must be a tuple of three initializers '
                                     '(V1, V2, b)')
                v1, v2, b = (initializers._get_initializer(i) for i in initial_bias)
                self.V1 = variable.Parameter(v1, (left_size, out_size))
                self.V2 = variable.Parameter(v2, (right_size, out_size))
                self.b = variable.Parameter(b, out_size)

    def forward(self, e1, e2):
        """Apply to the left and right inputs (each of shape (B, size))."""
        if self.nobias:
            return bilinear(e1, e2, self.W)
        return bilinear(e1, e2, self.W, self.V1, self.V2, self.b)
