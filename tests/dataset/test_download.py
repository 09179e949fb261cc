import hashlib
import os
import warnings

import numpy
import pytest

from dchain.dataset import download


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    return tmp_path


def test_root_and_directory(root, monkeypatch):
    assert download.get_dataset_root() == str(root)
    d = download.get_dataset_directory('foo')
    assert d == os.path.join(str(root), 'foo') and os.path.isdir(d)
    assert not os.path.exists(download.get_dataset_directory('bar', create_directory=False))
    download.set_dataset_root(str(root / 'other'))
    try:
        assert download.get_dataset_root() == str(root / 'other')
    finally:
        download.set_dataset_root(None)
    monkeypatch.delenv('DCHAIN_DATASET_ROOT')
    assert download.get_dataset_root() == os.path.join(
        os.path.expanduser('~'), '.dchain', 'dataset')


def test_atomic_path_keeps_target_untouched_on_error(root):
    target = root / 'data.npz'
    target.write_bytes(b'old')
    with pytest.raises(RuntimeError):
        with download.atomic_path(str(target)) as tmp:
            assert tmp.endswith('.npz') and os.path.dirname(tmp) == str(root)
            with open(tmp, 'wb') as f:
                f.write(b'partial')
            raise RuntimeError('interrupted')
    assert target.read_bytes() == b'old'
    assert os.listdir(root) == ['data.npz']
    with download.atomic_path(str(target)) as tmp:
        numpy.savez(tmp, a=numpy.arange(3))
    assert numpy.load(str(target))['a'].tolist() == [0, 1, 2]
    assert sorted(os.listdir(root)) == ['data.npz']


def test_cache_or_load_file(root):
    calls = []

    def creator(path):
        calls.append('create')
        numpy.savez(path, x=numpy.ones(2))
        return 'created'

    def loader(path):
        calls.append('load')
        return numpy.load(path)['x'].sum()

    p = str(root / 'c.npz')
    assert download.cache_or_load_file(p, creator, loader) == 'created'
    assert download.cache_or_load_file(p, creator, loader) == 2.
    assert calls == ['create', 'load']


def test_file_download_and_checksum(root):
    src = root / 'src.bin'
    src.write_bytes(b'hello dchain')
    md5 = hashlib.md5(b'hello dchain').hexdigest()
    url = src.as_uri()
    path = download.cached_download(url, md5=md5)
    assert open(path, 'rb').read() == b'hello dchain'
    assert path.startswith(os.path.join(str(root), '_dl_cache'))
    assert download.cached_download(url) == path  # cached: no second download
    with pytest.raises(download.DownloadError, match='expected'):
        download.cached_download(url, md5='0' * 32, path=str(root / 'bad'))
    assert not os.path.exists(root / 'bad')


def test_unreachable_url_fails_with_instructions(root):
    missing = (root / 'nope.bin').as_uri()
    with pytest.raises(download.DownloadError, match='save it as'):
        download.cached_download(missing, path=str(root / 'x'))


def test_fetch_raw_files_lists_every_missing_file(root):
    files = [('a.gz', (root / 'missing_a').as_uri(), None),
             ('b.gz', (root / 'missing_b').as_uri(), None)]
    with pytest.raises(download.DownloadError) as info:
        download.fetch_raw_files('toy', files)
    msg = str(info.value)
    for name in ('a.gz', 'b.gz'):
        assert os.path.join(str(root), 'toy', 'raw', name) in msg


def test_checksum_mismatch_of_placed_file_warns(root):
    raw = root / 'toy' / 'raw'
    raw.mkdir(parents=True)
    (raw / 'a.gz').write_bytes(b'x')
    files = [('a.gz', 'http://unused.invalid/a.gz', '0' * 32)]
    paths = download.fetch_raw_files('toy', files)
    with pytest.warns(RuntimeWarning, match='published'):
        download.warn_on_checksum_mismatch(paths, files)
    files = [('a.gz', 'http://unused.invalid/a.gz', hashlib.md5(b'x').hexdigest())]
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        download.warn_on_checksum_mismatch(paths, files)
