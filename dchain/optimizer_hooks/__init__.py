"""Optimizer hooks: ``optimizer.add_hook(dchain.optimizer_hooks.WeightDecay(1e-4))``."""
from dchain.optimizer_hooks.weight_decay import WeightDecay  # noqa: F401
from dchain.optimizer_hooks.lasso import Lasso  # noqa: F401
from dchain.optimizer_hooks.gradient_clipping import GradientClipping  # noqa: F401
from dchain.optimizer_hooks.gradient_hard_clipping import GradientHardClipping  # noqa: F401
from dchain.optimizer_hooks.gradient_noise import GradientNoise, exponential_decay_noise  # noqa
from dchain.optimizer_hooks.gradient_lars import GradientLARS  # noqa: F401
