"""LogReport (JSON log, means, atomic file), PrintReport (table, missing keys -> empty
cells) and ProgressBar (bars on a terminal, plain lines otherwise)."""
import io
import json
import os

import pytest

from dchain.training import extensions


def test_log_report_writes_means_per_interval(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(6, 'iteration'))
    losses = []
    trainer.extend(lambda tr: losses.append(float(tr.observation['main/loss'].array)),
                   name='probe', priority=500)
    trainer.extend(extensions.LogReport(trigger=(3, 'iteration'), filename='log.json'))
    trainer.run()
    log = json.loads((tmp_path / 'log.json').read_text())
    assert [e['iteration'] for e in log] == [3, 6]
    assert log[0]['main/loss'] == pytest.approx(sum(losses[:3]) / 3, rel=1e-6)
    assert log[1]['main/loss'] == pytest.approx(sum(losses[3:]) / 3, rel=1e-6)
    assert {'epoch', 'elapsed_time', 'main/accuracy'} <= set(log[0])
    assert not [n for n in os.listdir(tmp_path) if n.endswith('.tmp')]


def test_log_report_keys_and_postprocess(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'iteration'))

    def postprocess(entry):
        entry['double_loss'] = 2 * entry['main/loss']
    report = extensions.LogReport(keys=['main/loss'], trigger=(1, 'iteration'),
                                  postprocess=postprocess, log_name=None)
    trainer.extend(report)
    trainer.run()
    assert 'main/accuracy' not in report.log[0]
    assert report.log[0]['double_loss'] == 2 * report.log[0]['main/loss']
    assert not os.path.exists(tmp_path / 'log')


def test_print_report_table_with_missing_key(make_trainer, tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'no/such/key', 'iteration'],
                                          out=out))
    trainer.run()
    lines = out.getvalue().splitlines()
    header = lines[0].split()
    assert header == ['epoch', 'main/loss', 'no/such/key', 'iteration']
    assert len(lines) == 3
    first = lines[1]
    # Columns line up with the header; the missing key's column is blank.
    missing_col = lines[0].index('no/such/key')
    iteration_col = lines[0].index('iteration')
    assert first[missing_col:iteration_col].strip() == ''
    assert first[iteration_col:].strip() == '8'
    assert first.split()[0] == '1'
    assert float(first.split()[1]) > 0
    assert '\033' not in out.getvalue()


def test_print_report_without_log_report_uses_a_private_one(make_trainer, tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, stop=(1, 'epoch'))
    trainer.extend(extensions.PrintReport(['epoch', 'main/accuracy'], out=out))
    trainer.run()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[1].split()[0] == '1'
    assert not os.path.exists(tmp_path / 'log')


def test_print_report_unknown_log_report_name(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, 'iteration'))
    trainer.extend(extensions.PrintReport(['epoch'], log_report='MyLog', out=io.StringIO()))
    with pytest.raises(ValueError, match="'MyLog' is not registered"):
        trainer.run(show_loop_exception_msg=False)


class _FakeTerminal(io.StringIO):

    def isatty(self):
        return True


def test_progress_bar_plain_lines_when_not_a_terminal(make_trainer, tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, stop=(3, 'epoch'))
    trainer.extend(extensions.ProgressBar(update_interval=5, out=out))
    trainer.run()
    text = out.getvalue()
    assert '\r' not in text and '\033' not in text
    lines = text.splitlines()
    assert len(lines) == 4  # iterations 5, 10, 15, 20 of 23
    assert lines[0].startswith('iteration 5  epoch 0.67  22.2% of 3 epochs')
    assert 'iters/sec' in lines[-1] and 'ETA' in lines[-1]


def test_progress_bar_draws_bars_on_a_terminal(make_trainer, tmp_path, monkeypatch):
    monkeypatch.delenv('TERM', raising=False)
    out = _FakeTerminal()
    trainer = make_trainer(tmp_path, stop=(20, 'iteration'))
    trainer.extend(extensions.ProgressBar(update_interval=10, bar_length=20, out=out))
    trainer.run()
    text = out.getvalue()
    assert '     total [##########..........] 50.00%\nthis epoch [######..............] 33.33%' in text
    assert 'Estimated time to finish' in text
    assert '\033[4A' in text  # moves back over its four lines to redraw in place
    assert text.endswith('\033[J')  # cleared at the end


def test_progress_bar_rejects_bad_interval():
    with pytest.raises(ValueError, match='update_interval'):
        extensions.ProgressBar(update_interval=0)
