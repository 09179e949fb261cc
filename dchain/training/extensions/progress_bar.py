"""ProgressBar: shows training progress, speed and the estimated time left."""
import datetime
import os
import sys
import time

from dchain.training import extension


def _format_eta(seconds):
    return str(datetime.timedelta(seconds=int(round(max(seconds, 0)))))


class ProgressBar(extension.Extension):
    """Print the progress of training every ``update_interval`` iterations.

    On a terminal it draws two bars (whole training and this epoch) plus the speed and the
    ETA, redrawn in place. When the stream is not a terminal (a log file, a pipe, CI) it
    prints one plain line per update instead, without carriage returns or escape codes.

    Args:
        training_length: ``(length, unit)``; taken from the stop trigger when None.
        update_interval (int): iterations between updates.
        bar_length (int): characters of each bar.
        out: the stream (the current ``sys.stdout`` when None).
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_READER

    def __init__(self, training_length=None, update_interval=100, bar_length=50, out=None):
        if update_interval <= 0:
            raise ValueError('update_interval must be positive, got {!r}'.format(
                update_interval))
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._out = out
        self._recent = []  # (time, iteration) of the last updates, for the speed
        self._lines_drawn = 0

    def _stream(self):
        return sys.stdout if self._out is None else self._out

    def _is_tty(self, out):
        isatty = getattr(out, 'isatty', None)
        try:
            return bool(isatty()) and os.environ.get('TERM') != 'dumb'
        except Exception:
            return False

    def initialize(self, trainer):
        if self._training_length is None:
            get_length = getattr(trainer.stop_trigger, 'get_training_length', None)
            if get_length is not None:
                self._training_length = get_length()
        self._recent = [(time.perf_counter(), trainer.updater.iteration)]

    def __call__(self, trainer):
        iteration = trainer.updater.iteration
        if iteration % self._update_interval != 0:
            return
        now = time.perf_counter()
        self._recent.append((now, iteration))
        del self._recent[:-10]
        (t0, i0), (t1, i1) = self._recent[0], self._recent[-1]
        speed = (i1 - i0) / (t1 - t0) if t1 > t0 and i1 > i0 else 0.0
        out = self._stream()
        if self._is_tty(out):
            self._draw_bars(out, trainer, speed)
        else:
            out.write(self._plain_line(trainer, speed) + '\n')
        if hasattr(out, 'flush'):
            out.flush()

    def _progress(self, trainer):
        """Fraction of training done (None when the length is unknown)."""
        if self._training_length is None:
            return None
        length, unit = self._training_length
        updater = trainer.updater
        done = updater.epoch_detail if unit == 'epoch' else updater.iteration
        return min(done / length, 1.0) if length else 1.0

    def _eta(self, trainer, speed):
        if self._training_length is None or speed <= 0:
            return None
        length, unit = self._training_length
        updater = trainer.updater
        if unit == 'iteration':
            left = length - updater.iteration
        else:
            epoch_detail = updater.epoch_detail
            if epoch_detail <= 0:
                return None
            left = (length - epoch_detail) * updater.iteration / epoch_detail
        return left / speed

    def _plain_line(self, trainer, speed):
        updater = trainer.updater
        parts = ['iteration {}'.format(updater.iteration),
                 'epoch {:.2f}'.format(updater.epoch_detail)]
        progress = self._progress(trainer)
        if progress is not None:
            length, unit = self._training_length
            parts.append('{:.1%} of {} {}s'.format(progress, length, unit))
        parts.append('{:.4g} iters/sec'.format(speed))
        eta = self._eta(trainer, speed)
        if eta is not None:
            parts.append('ETA {}'.format(_format_eta(eta)))
        return '  '.join(parts)

    def _bar(self, fraction):
        filled = int(self._bar_length * fraction)
        return '#' * filled + '.' * (self._bar_length - filled)

    def _draw_bars(self, out, trainer, speed):
        updater = trainer.updater
        lines = []
        progress = self._progress(trainer)
        if progress is not None:
            lines.append('     total [{}] {:6.2%}'.format(self._bar(progress), progress))
        epoch_fraction = updater.epoch_detail - updater.epoch
        lines.append('this epoch [{}] {:6.2%}'.format(self._bar(epoch_fraction),
                                                       epoch_fraction))
        eta = self._eta(trainer, speed)
        lines.append('{:10} iter, {} epoch / {}'.format(
            updater.iteration, updater.epoch,
            '{} {}s'.format(*self._training_length) if self._training_length else '?'))
        lines.append('{:10.5g} iters/sec. Estimated time to finish: {}.'.format(
            speed, _format_eta(eta) if eta is not None else 'unknown'))
        # Draw below the cursor, then move back up: the next drawing (or a PrintReport row,
        # which clears to the end of the screen first) replaces the bars instead of stacking.
        out.write('\033[J' + '\n'.join(lines) + '\n\033[{}A'.format(len(lines)))
        self._lines_drawn = len(lines)

    def finalize(self, trainer=None):
        out = self._stream()
        if self._lines_drawn and self._is_tty(out):
            out.write('\033[J')
            if hasattr(out, 'flush'):
                out.flush()
        self._lines_drawn = 0
