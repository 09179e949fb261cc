"""PrintReport: prints chosen entries of the LogReport as a table."""
import sys

from dchain import serializer as serializer_module
from dchain.training import extension
from dchain.training.extensions import log_report as log_report_module


def _format_value(value, width):
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = '{:.6g}'.format(value)
    else:
        text = str(value)
    return text.ljust(width)


def _is_tty(out):
    try:
        return bool(out.isatty())
    except Exception:
        return False


class PrintReport(extension.Extension):
    """Print the new LogReport entries, one row each, under a header of the column names.

    An entry missing from a row (e.g. ``validation/main/loss`` before the first evaluation)
    leaves that cell empty.

    Args:
        entries (list of str): the columns.
        log_report (str or LogReport): the LogReport extension, or its registered name.
            When the default name ``'LogReport'`` is not registered, a private LogReport
            (every epoch, no file) is used.
        out: the stream written to (the current ``sys.stdout`` when None).
    """

    def __init__(self, entries, log_report='LogReport', out=None):
        self._entries = list(entries)
        self._log_report = log_report
        self._log_len = 0
        self._out = out
        self._widths = [max(len(entry), 10) for entry in self._entries]
        self._header = '  '.join(entry.ljust(w) for entry, w in
                                 zip(self._entries, self._widths)).rstrip() + '\n'
        self._header_printed = False

    def _stream(self):
        return sys.stdout if self._out is None else self._out

    def _get_log_report(self, trainer):
        log_report = self._log_report
        if isinstance(log_report, str):
            try:
                return trainer.get_extension(log_report)
            except ValueError:
                if log_report != 'LogReport':
                    raise
            # No LogReport registered: keep a private one (no file) with the default interval.
            self._log_report = log_report = log_report_module.LogReport(log_name=None)
        if isinstance(log_report, log_report_module.LogReport):
            log_report(trainer)  # not registered with the trainer: feed it ourselves
            return log_report
        raise TypeError('log_report must be a LogReport or its name, got {!r}'.format(
            log_report))

    def __call__(self, trainer):
        out = self._stream()
        log = self._get_log_report(trainer).log
        if self._header_printed and len(log) <= self._log_len:
            return
        if _is_tty(out):
            out.write('\033[J')  # clear a ProgressBar drawn below the cursor
        if not self._header_printed:
            out.write(self._header)
            self._header_printed = True
        while len(log) > self._log_len:
            self._print(log[self._log_len])
            self._log_len += 1
        if hasattr(out, 'flush'):
            out.flush()

    def _print(self, observation):
        cells = []
        for entry, width in zip(self._entries, self._widths):
            if entry in observation:
                cells.append(_format_value(observation[entry], width))
            else:
                cells.append(' ' * width)
        self._stream().write('  '.join(cells).rstrip() + '\n')

    def serialize(self, serializer):
        log_report = self._log_report
        if isinstance(log_report, log_report_module.LogReport):
            log_report.serialize(serializer['_log_report'])
        self._log_len = int(serializer('_log_len', self._log_len))
        if isinstance(serializer, serializer_module.Deserializer) and self._log_len:
            self._header_printed = False  # a resumed run prints its own header once
