"""ParameterStatistics: reports statistics of the parameters and gradients of links."""
import numpy

from dchain import backend
from dchain import reporter
from dchain.training import extension


def _percentiles(xp, x, sigmas):
    return xp.percentile(x, sigmas)


class ParameterStatistics(extension.Extension):
    """Report, for every parameter of ``links``, statistics of its values and gradients.

    Keys are ``'<prefix><link name>/<param path>/<data|grad>/<statistic>'`` (the link name
    is left out for a root link: ``'l1/W/data/mean'``); percentiles are reported as
    ``.../percentile/<i>``.

    Args:
        links: a link or a list of links.
        statistics: ``'default'`` (mean, std, min, max, zeros, percentile) or a dict of
            ``name: function(array) -> scalar or 1-d array``.
        report_params (bool): report statistics of the values.
        report_grads (bool): report statistics of the gradients.
        prefix (str): prepended to every key.
        trigger: how often (``(1, 'epoch')``).
        skip_nan_params (bool): skip parameters holding NaN instead of reporting NaN.
    """

    default_name = 'parameter_statistics'
    priority = extension.PRIORITY_WRITER
    # Percentiles of the normal distribution at -3 ... +3 sigma.
    default_percentile_sigmas = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)

    def __init__(self, links, statistics='default', report_params=True, report_grads=True,
                 prefix=None, trigger=(1, 'epoch'), skip_nan_params=False):
        if not isinstance(links, (list, tuple)):
            links = (links,)
        self._links = links
        if statistics == 'default':
            sigmas = self.default_percentile_sigmas
            statistics = {
                'mean': lambda x: x.mean(),
                'std': lambda x: x.std(),
                'min': lambda x: x.min(),
                'max': lambda x: x.max(),
                'zeros': lambda x: (x == 0).sum(),
                'percentile': lambda x: _percentiles(backend.get_array_module(x), x, sigmas),
            }
        elif not isinstance(statistics, dict):
            raise TypeError("statistics must be 'default' or a dict of functions, got "
                            "{!r}".format(statistics))
        self._statistics = dict(statistics)
        attrs = []
        if report_params:
            attrs.append('data')
        if report_grads:
            attrs.append('grad')
        self._attrs = attrs
        self._prefix = prefix
        self.trigger = trigger
        self._skip_nan_params = skip_nan_params

    def register_statistics(self, name, function):
        """Add a statistic ``function(array)`` reported as ``name``."""
        self._statistics[name] = function

    def __call__(self, trainer):
        stats = {}
        for link in self._links:
            link_name = getattr(link, 'name', None) or ''
            for param_name, param in link.namedparams(include_uninit=False):
                for attr in self._attrs:
                    array = param.array if attr == 'data' else param.grad
                    if array is None or array.size == 0:
                        continue
                    if self._skip_nan_params and bool(
                            backend.get_array_module(array).isnan(array).any()):
                        continue
                    for stat_name, function in self._statistics.items():
                        value = function(array)
                        key = '{}{}/{}/{}'.format(link_name, param_name, attr, stat_name).lstrip('/')
                        if self._prefix is not None:
                            key = self._prefix + key
                        value = numpy.asarray(backend.cpu_device.send(value)
                                              if hasattr(value, 'device') else value)
                        if value.ndim == 0:
                            stats[key] = float(value)
                        else:
                            for i, v in enumerate(value.ravel()):
                                stats['{}/{}'.format(key, i)] = float(v)
        reporter.report(stats)
