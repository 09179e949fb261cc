"""Trainer extensions: evaluation, logging, printing, plots, snapshots, schedules and more."""
from dchain.training.extensions._snapshot import snapshot, snapshot_object  # noqa: F401
from dchain.training.extensions.computational_graph import DumpGraph  # noqa: F401
from dchain.training.extensions.evaluator import Evaluator  # noqa: F401
from dchain.training.extensions.exponential_shift import ExponentialShift  # noqa: F401
from dchain.training.extensions.fail_on_nonnumber import FailOnNonNumber  # noqa: F401
from dchain.training.extensions.inverse_shift import InverseShift  # noqa: F401
from dchain.training.extensions.linear_shift import LinearShift  # noqa: F401
from dchain.training.extensions.log_report import LogReport  # noqa: F401
from dchain.training.extensions.micro_average import MicroAverage  # noqa: F401
from dchain.training.extensions.multistep_shift import MultistepShift  # noqa: F401
from dchain.training.extensions.parameter_statistics import ParameterStatistics  # noqa: F401
from dchain.training.extensions.plot_report import PlotReport  # noqa: F401
from dchain.training.extensions.polynomial_shift import PolynomialShift  # noqa: F401
from dchain.training.extensions.print_report import PrintReport  # noqa: F401
from dchain.training.extensions.progress_bar import ProgressBar  # noqa: F401
from dchain.training.extensions.step_shift import StepShift  # noqa: F401
from dchain.training.extensions.unchain_variables import unchain_variables  # noqa: F401
from dchain.training.extensions.value_observation import observe_lr, observe_value  # noqa
from dchain.training.extensions.variable_statistics_plot import (  # noqa: F401
    VariableStatisticsPlot)
from dchain.training.extensions.warmup_shift import WarmupShift  # noqa: F401
