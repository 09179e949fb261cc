"""FailOnNonNumber: stops training as soon as a parameter becomes NaN or infinite."""
from dchain import backend
from dchain.training import extension


class FailOnNonNumber(extension.Extension):
    """Raise ``RuntimeError`` when a parameter (or, with ``check_grad``, a gradient) of any
    optimizer's target holds NaN or infinity.

    Args:
        check_grad (bool): also check the gradients.
    """

    def __init__(self, check_grad=True):
        self._check_grad = check_grad

    def __call__(self, trainer):
        for name, optimizer in trainer.updater.get_all_optimizers().items():
            target = optimizer.target
            for param_name, param in target.namedparams(include_uninit=False):
                arrays = [('value', param.array)]
                if self._check_grad and param.grad is not None:
                    arrays.append(('gradient', param.grad))
                for what, array in arrays:
                    xp = backend.get_array_module(array)
                    if not bool(xp.isfinite(array).all()):
                        raise RuntimeError(
                            'the {} of parameter {!r} of optimizer {!r} holds NaN or infinity '
                            'at iteration {}: training diverged (try a smaller learning '
                            'rate)'.format(what, param_name, name, trainer.updater.iteration))
