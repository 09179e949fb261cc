"""Coefficient of determination R^2 (``F.r2_score``); not differentiable."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class R2_score(function_node.FunctionNode):  # noqa: N801 (Chainer's name)
    """``1 - SS_res / SS_tot`` per output column (axis 0 is the sample axis)."""

    def __init__(self, sample_weight=None, multioutput='uniform_average'):
        if sample_weight is not None:
            raise NotImplementedError('r2_score: sample_weight is not supported')
        if multioutput not in ('uniform_average', 'raw_values'):
            raise ValueError("r2_score: multioutput must be 'uniform_average' or "
                             "'raw_values', got {!r}".format(multioutput))
        self.multioutput = multioutput

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('pred', 'true'))
        type_check.expect(in_types.size() == 2)
        pred, true = in_types
        type_check.expect(pred.dtype.kind == 'f', pred.dtype == true.dtype,
                          pred.shape == true.shape, pred.ndim >= 1)

    def forward(self, inputs):
        pred, true = inputs
        xp = utils.get_xp(pred)
        ss_res = ((pred - true) ** 2).sum(axis=0)
        centred = true - true.mean(axis=0)
        ss_tot = (centred * centred).sum(axis=0)
        # A constant target has no variance to explain: its score is 0 (as Chainer does).
        safe = xp.where(ss_tot != 0, ss_tot, 1)
        score = xp.where(ss_tot != 0, 1 - ss_res / safe, 0).astype(pred.dtype)
        if self.multioutput == 'uniform_average':
            score = score.mean()
        return utils.force_array(xp.asarray(score, pred.dtype)),


def r2_score(pred, true, sample_weight=None, multioutput='uniform_average'):
    """R^2 of predictions ``pred`` against targets ``true`` (same shape; axis 0: samples).

    Args:
        sample_weight: not supported (must be None).
        multioutput (str): ``'uniform_average'`` averages the per-column scores;
            ``'raw_values'`` returns them.
    """
    return R2_score(sample_weight, multioutput).apply((pred, true))[0]
