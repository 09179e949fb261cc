"""VariableStatisticsPlot: plots percentiles, mean and std of variables' values and
gradients over training."""
import os
import warnings

import numpy

from dchain import backend
from dchain.serializers import _atomic
from dchain.training import extension
from dchain.training import trigger as trigger_module
from dchain.training.extensions import plot_report


class VariableStatisticsPlot(extension.Extension):
    """Every ``trigger``, sample the elements of ``targets`` (Variables or links, whose
    parameters are used) and plot, for the values and the gradients, the percentile bands
    (``percentile_sigmas``), the mean and the mean +- std against the iteration.

    Args:
        targets: a Variable, a link, or a list of them.
        max_sample_size (int): elements sampled per kind (all when fewer).
        report_data (bool), report_grad (bool): which panels to draw.
        plot_mean (bool), plot_std (bool): draw the mean and the std band.
        percentile_sigmas: percentiles drawn as bands (symmetric pairs shade between them).
        trigger: how often (``(1, 'epoch')``).
        filename (str): PNG file name (``'statistics.png'``); ``file_name`` is accepted.
        figsize: matplotlib figure size.
        marker: matplotlib marker.
        grid (bool): draw a grid.
    """

    def __init__(self, targets, max_sample_size=1000, report_data=True, report_grad=True,
                 plot_mean=True, plot_std=True,
                 percentile_sigmas=(0, 0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87, 100),
                 trigger=(1, 'epoch'), filename=None, figsize=None, marker=None, grid=True,
                 **kwargs):
        file_name = kwargs.pop('file_name', 'statistics.png')
        if kwargs:
            raise TypeError('VariableStatisticsPlot got unexpected keyword arguments: '
                            '{}'.format(', '.join(sorted(kwargs))))
        if not isinstance(targets, (list, tuple)):
            targets = [targets]
        if not (report_data or report_grad):
            raise ValueError('report_data and report_grad cannot both be False')
        self._targets = targets
        self._max_sample_size = max_sample_size
        self._kinds = [k for k, on in (('data', report_data), ('grad', report_grad)) if on]
        self._plot_mean = plot_mean
        self._plot_std = plot_std
        self._sigmas = tuple(percentile_sigmas)
        self._trigger = trigger_module.get_trigger(trigger)
        self._filename = filename if filename is not None else file_name
        self._figsize = figsize
        self._marker = marker
        self._grid = grid
        self._rng = numpy.random.RandomState(0)  # its own, so sampling leaves training alone
        self._history = {kind: [] for kind in self._kinds}  # (iteration, stats row)
        self._warned = False

    def _variables(self):
        for target in self._targets:
            if hasattr(target, 'params'):
                yield from target.params(include_uninit=False)
            else:
                yield target

    def _sample(self, kind):
        arrays = []
        for var in self._variables():
            array = var.array if kind == 'data' else var.grad
            if array is not None:
                arrays.append(numpy.asarray(backend.cpu_device.send(array)).ravel())
        if not arrays:
            return None
        x = numpy.concatenate(arrays).astype(numpy.float64)
        if x.size > self._max_sample_size:
            x = x[self._rng.choice(x.size, self._max_sample_size, replace=False)]
        return x

    def __call__(self, trainer):
        if not self._trigger(trainer):
            return
        iteration = trainer.updater.iteration
        for kind in self._kinds:
            x = self._sample(kind)
            if x is None:
                continue
            row = numpy.concatenate([numpy.percentile(x, self._sigmas), [x.mean(), x.std()]])
            self._history[kind].append((iteration, row))
        figure_class = plot_report._matplotlib_figure()
        if figure_class is None:
            if not self._warned:
                warnings.warn('VariableStatisticsPlot cannot draw {!r}: matplotlib is not '
                              'installed (pip install matplotlib)'.format(self._filename))
                self._warned = True
            return
        self._draw(figure_class, trainer.out)

    def _draw(self, figure_class, out):
        figure = figure_class(figsize=self._figsize)
        n = len(self._kinds)
        for i, kind in enumerate(self._kinds):
            axes = figure.add_subplot(1, n, i + 1)
            axes.set_title(kind)
            axes.set_xlabel('iteration')
            if self._grid:
                axes.grid()
            history = self._history[kind]
            if not history:
                continue
            xs = numpy.array([h[0] for h in history])
            rows = numpy.stack([h[1] for h in history])
            k = len(self._sigmas)
            for j in range(k // 2):
                axes.fill_between(xs, rows[:, j], rows[:, k - 1 - j], color='C0',
                                  alpha=0.15 + 0.6 * j / max(k // 2, 1), linewidth=0)
            mean, std = rows[:, k], rows[:, k + 1]
            if self._plot_mean:
                axes.plot(xs, mean, color='C1', marker=self._marker, label='mean')
            if self._plot_std:
                axes.plot(xs, mean + std, color='C2', linestyle='--', label='mean +- std')
                axes.plot(xs, mean - std, color='C2', linestyle='--')
            if self._plot_mean or self._plot_std:
                axes.legend(loc='best')
        with _atomic.atomic_write(os.path.join(out, self._filename)) as f:
            figure.savefig(f, format='png')
