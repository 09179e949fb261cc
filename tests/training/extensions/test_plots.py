"""PlotReport and VariableStatisticsPlot write PNGs that decode and show curves; without
matplotlib there is a clear warning."""
import numpy
import pytest

from dchain.training import extensions
from dchain.training.extensions import plot_report

pytest.importorskip('matplotlib')
Image = pytest.importorskip('PIL.Image')


def _decode(path):
    with Image.open(path) as im:
        assert im.format == 'PNG'
        return numpy.asarray(im.convert('RGB'), dtype=numpy.int32)


def _colored_pixels(pixels, rgb, tol=40):
    return int((numpy.abs(pixels - numpy.array(rgb)).sum(axis=2) < tol).sum())


def test_plot_report_png_shows_the_curves(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, 'epoch'))
    trainer.extend(extensions.PlotReport(['main/loss', 'main/accuracy'], 'epoch',
                                         file_name='curves.png'))
    trainer.run()
    pixels = _decode(tmp_path / 'curves.png')
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    # matplotlib's first two line colors (C0 blue, C1 orange) are drawn.
    assert _colored_pixels(pixels, (31, 119, 180)) > 100
    assert _colored_pixels(pixels, (255, 127, 14)) > 100
    assert pixels.std() > 10


def test_plot_report_without_matplotlib_warns(make_trainer, tmp_path, monkeypatch):
    monkeypatch.setattr(plot_report, '_matplotlib_figure', lambda: None)
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    trainer.extend(extensions.PlotReport(['main/loss'], 'epoch'))
    with pytest.warns(UserWarning, match='matplotlib is not installed'):
        trainer.run()
    assert not (tmp_path / 'plot.png').exists()
    with pytest.warns(UserWarning, match='needs matplotlib'):
        assert extensions.PlotReport.available() is False


def test_plot_report_bad_x_key():
    with pytest.raises(ValueError, match='x_key'):
        extensions.PlotReport(['main/loss'], 'time')


def test_variable_statistics_plot(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.VariableStatisticsPlot(model))
    trainer.run()
    pixels = _decode(tmp_path / 'statistics.png')
    assert _colored_pixels(pixels, (255, 127, 14)) > 50  # the mean curves
    assert pixels.std() > 10
