"""LogReport: averages observations over an interval and writes them to a JSON log file."""
import json
import os

from dchain import reporter as reporter_module
from dchain import serializer as serializer_module
from dchain.serializers import _atomic
from dchain.training import extension
from dchain.training import trigger as trigger_module


class LogReport(extension.Extension):
    """Collect the observation every iteration; every ``trigger``, append the means (plus
    ``epoch``, ``iteration`` and ``elapsed_time``) to :attr:`log` and write the whole log as
    JSON to ``<trainer.out>/<filename>`` (atomically: readers never see a half-written file).

    Args:
        keys (list): keys to log; all scalar observations when None.
        trigger: the logging interval (``(1, 'epoch')``).
        postprocess: called as ``postprocess(entry)`` on each new entry before it is stored.
        filename (str): log file name, may use entry keys as ``{iteration}``; when None,
            the ``log_name`` keyword (default ``'log'``) is used, and ``log_name=None``
            writes no file.
    """

    def __init__(self, keys=None, trigger=(1, 'epoch'), postprocess=None, filename=None,
                 **kwargs):
        log_name = kwargs.pop('log_name', 'log')
        if kwargs:
            raise TypeError('LogReport got unexpected keyword arguments: {}'.format(
                ', '.join(sorted(kwargs))))
        if filename is None:
            filename = log_name
        self._keys = keys
        self._trigger = trigger_module.get_trigger(trigger)
        self._postprocess = postprocess
        self._log_name = filename
        self._log = []
        self._init_summary()

    def __call__(self, trainer):
        observation = trainer.observation
        if self._keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({k: observation[k] for k in self._keys if k in observation})
        if not self._trigger(trainer):
            return
        entry = {key: float(value) for key, value in self._summary.compute_mean().items()}
        updater = trainer.updater
        entry['epoch'] = updater.epoch
        entry['iteration'] = updater.iteration
        entry['elapsed_time'] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        if self._log_name is not None and trainer.out is not None:
            path = os.path.join(trainer.out, self._log_name.format(**entry))
            with _atomic.atomic_write(path, 'w') as f:
                json.dump(self._log, f, indent=4)
        self._init_summary()

    @property
    def log(self):
        """The list of logged entries (dicts)."""
        return self._log

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    def serialize(self, serializer):
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._summary.serialize(serializer['_summary'])
        log = serializer('_log', json.dumps(self._log))
        if isinstance(serializer, serializer_module.Deserializer):
            self._log = json.loads(str(log))
