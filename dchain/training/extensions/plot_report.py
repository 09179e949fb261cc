"""PlotReport: draws observed values against epoch or iteration into a PNG file."""
import collections
import json
import os
import warnings

from dchain import reporter as reporter_module
from dchain import serializer as serializer_module
from dchain.serializers import _atomic
from dchain.training import extension
from dchain.training import trigger as trigger_module


def _matplotlib_figure():
    """matplotlib's Figure class, or None when matplotlib is not installed."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


class PlotReport(extension.Extension):
    """Plot the mean of each ``y_keys`` entry over every ``trigger`` interval.

    The figure is drawn on matplotlib's Agg canvas (no display needed, whatever backend
    pyplot uses) and written atomically to ``<trainer.out>/<filename>``. Without matplotlib
    a warning naming the missing package is issued once and nothing is drawn.

    Args:
        y_keys (str or list): observation keys to plot.
        x_key (str): ``'epoch'`` or ``'iteration'``.
        trigger: the plotting interval (``(1, 'epoch')``).
        postprocess: called as ``postprocess(figure, axes, summary)`` before saving.
        filename (str): output file name (``'plot.png'``); ``file_name`` is accepted too.
        marker (str): matplotlib marker of the points (None for lines only).
        grid (bool): draw a grid.
    """

    def __init__(self, y_keys, x_key='iteration', trigger=(1, 'epoch'), postprocess=None,
                 filename=None, marker='x', grid=True, **kwargs):
        file_name = kwargs.pop('file_name', 'plot.png')
        if kwargs:
            raise TypeError('PlotReport got unexpected keyword arguments: {}'.format(
                ', '.join(sorted(kwargs))))
        if x_key not in ('epoch', 'iteration'):
            raise ValueError("x_key must be 'epoch' or 'iteration', got {!r}".format(x_key))
        if isinstance(y_keys, str):
            y_keys = (y_keys,)
        self._x_key = x_key
        self._y_keys = list(y_keys)
        self._trigger = trigger_module.get_trigger(trigger)
        self._file_name = filename if filename is not None else file_name
        self._marker = marker
        self._grid = grid
        self._postprocess = postprocess
        self._init_summary()
        self._data = collections.OrderedDict((k, []) for k in self._y_keys)
        self._warned = False
        self._figure = self._axes = self._lines = None

    @staticmethod
    def available():
        """True when matplotlib is installed (else warn and return False)."""
        if _matplotlib_figure() is None:
            warnings.warn('PlotReport needs matplotlib, which is not installed: '
                          'pip install matplotlib (or dchain[plot])', stacklevel=2)
            return False
        return True

    def __call__(self, trainer):
        observation = trainer.observation
        self._summary.add({k: observation[k] for k in self._y_keys if k in observation})
        if not self._trigger(trainer):
            return
        updater = trainer.updater
        x = updater.epoch if self._x_key == 'epoch' else updater.iteration
        summary = self._summary.compute_mean()
        for key in self._y_keys:
            if key in summary:
                self._data[key].append((x, float(summary[key])))
        self._init_summary()
        figure_class = _matplotlib_figure()
        if figure_class is None:
            if not self._warned:
                warnings.warn('PlotReport cannot draw {!r}: matplotlib is not installed '
                              '(pip install matplotlib, or dchain[plot])'.format(
                                  self._file_name))
                self._warned = True
            return
        self._draw(figure_class, trainer.out, summary)

    def _draw(self, figure_class, out, summary):
        # The figure is kept and only its line data replaced: building a new figure every
        # time costs as much as drawing it. A postprocess may change the axes, so it gets a
        # fresh figure each time.
        if self._figure is None or self._postprocess is not None:
            figure = figure_class()
            axes = figure.add_subplot(111)
            axes.set_xlabel(self._x_key)
            if self._grid:
                axes.grid()
            self._figure, self._axes, self._lines = figure, axes, {}
        figure, axes, lines = self._figure, self._axes, self._lines
        new_line = False
        for key, points in self._data.items():
            if not points:
                continue
            xs, ys = zip(*points)
            if key in lines:
                lines[key].set_data(xs, ys)
            else:
                lines[key], = axes.plot(xs, ys, marker=self._marker, label=key)
                new_line = True
        if new_line:
            axes.legend(loc='best')
        axes.relim()
        axes.autoscale_view()
        if self._postprocess is not None:
            self._postprocess(figure, axes, summary)
        with _atomic.atomic_write(os.path.join(out, self._file_name)) as f:
            figure.savefig(f, format='png')

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    def serialize(self, serializer):
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._summary.serialize(serializer['_summary'])
        data = serializer('_plot_{}'.format(self._file_name), json.dumps(self._data))
        if isinstance(serializer, serializer_module.Deserializer):
            loaded = json.loads(str(data))
            self._data = collections.OrderedDict(
                (k, [tuple(p) for p in loaded.get(k, [])]) for k in self._y_keys)
