"""EarlyStoppingTrigger: a stop trigger that ends training when a monitored value stalls."""
import operator
import warnings

from dchain import reporter as reporter_module
from dchain.training import trigger as trigger_module


class EarlyStoppingTrigger:
    """Stop trigger: fires when ``monitor`` has not improved for ``patience`` checks, or when
    ``max_trigger`` is reached.

    Args:
        check_trigger: how often ``monitor`` is checked (``(1, 'epoch')``).
        monitor (str): the observation key to watch.
        patience (int): checks without improvement before stopping.
        mode (str): ``'min'``, ``'max'`` or ``'auto'`` (max for keys containing 'accuracy').
        verbose (bool): print a message when stopping early.
        max_trigger: ``(length, unit)`` after which training stops anyway.
    """

    def __init__(self, check_trigger=(1, 'epoch'), monitor='main/loss', patience=3,
                 mode='auto', verbose=False, max_trigger=(100, 'epoch')):
        self.count = 0
        self.patience = patience
        self.monitor = monitor
        self.verbose = verbose
        self.already_warning = False
        self._max_trigger = trigger_module.get_trigger(max_trigger)
        self._interval_trigger = trigger_module.get_trigger(check_trigger)
        self._init_summary()
        if mode == 'auto':
            mode = 'max' if 'accuracy' in monitor else 'min'
        if mode == 'max':
            self._compare = operator.gt
            self.best = float('-inf')
        elif mode == 'min':
            self._compare = operator.lt
            self.best = float('inf')
        else:
            raise ValueError("mode must be 'min', 'max' or 'auto', got {!r}".format(mode))

    def __call__(self, trainer):
        if self._max_trigger(trainer):
            return True
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if not self._interval_trigger(trainer):
            return False
        stats = self._summary.compute_mean()
        self._init_summary()
        if self.monitor not in stats:
            if not self.already_warning:
                warnings.warn('{} is not in the observation; EarlyStoppingTrigger cannot '
                              'stop early'.format(self.monitor))
                self.already_warning = True
            return False
        value = float(stats[self.monitor])
        if self._compare(value, self.best):
            self.best = value
            self.count = 0
        else:
            self.count += 1
        if self.count >= self.patience:
            if self.verbose:
                print('Early stopping: {} did not improve for {} checks'.format(
                    self.monitor, self.patience))
            return True
        return False

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    def get_training_length(self):
        return self._max_trigger.get_training_length()

    def serialize(self, serializer):
        self.count = int(serializer('count', self.count))
        self.best = float(serializer('best', self.best))
        self._summary.serialize(serializer['summary'])
