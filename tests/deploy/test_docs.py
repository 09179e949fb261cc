"""The user documentation in docs/ stays in step with the code it describes.

The CLI reference names every option of ``dchain-launch`` and of each ``dchain`` command; the
control-plane page names every RPC, message and enum value of the proto; relative links and
the repository paths the pages cite exist.
"""
import argparse
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / 'docs'
PAGES = ('migrating_from_chainer.md', 'cli.md', 'control_plane.md', 'distributed.md')


def _options(parser):
    return {s for action in parser._actions for s in action.option_strings
            if s not in ('-h', '--help')}


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def test_pages_exist():
    for page in PAGES:
        assert (DOCS / page).is_file(), page


def test_cli_reference_names_every_launcher_option():
    launcher_main = pytest.importorskip('launcher.main')
    text = (DOCS / 'cli.md').read_text()
    missing = sorted(o for o in _options(launcher_main.build_parser()) if '`' + o not in text)
    assert not missing, 'docs/cli.md does not mention dchain-launch {}'.format(missing)


def test_cli_reference_names_every_dchain_command_and_option():
    cli = pytest.importorskip('dchain.control.cli')
    text = (DOCS / 'cli.md').read_text()
    commands = _subparsers(cli.build_parser())
    assert commands
    for name, sub in commands.items():
        assert '`dchain {}'.format(name) in text, name
        missing = sorted(o for o in _options(sub) if '`' + o not in text)
        assert not missing, 'docs/cli.md does not mention dchain {} {}'.format(name, missing)


def test_control_plane_page_names_the_whole_proto():
    proto = (ROOT / 'protos' / 'dchain' / 'control' / 'v1' / 'control.proto').read_text()
    text = (DOCS / 'control_plane.md').read_text()
    names = set(re.findall(r'^\s*rpc (\w+)\(', proto, re.M))
    names |= set(re.findall(r'^(?:message|enum|service) (\w+)', proto, re.M))
    for block in re.findall(r'^enum \w+ \{(.*?)\}', proto, re.M | re.S):
        names |= {v for v in re.findall(r'^\s*(\w+) = \d+;', block, re.M)
                  if not v.endswith('UNSPECIFIED')}
    assert len(names) > 20
    missing = sorted(n for n in names if not re.search(r'\b{}\b'.format(n), text))
    assert not missing, 'docs/control_plane.md does not mention {}'.format(missing)


@pytest.mark.parametrize('page', PAGES)
def test_links_and_cited_paths_exist(page):
    text = (DOCS / page).read_text()
    for target in re.findall(r'\]\(([^)#:]+)(?:#[^)]*)?\)', text):
        assert (DOCS / target).exists(), '{} links to missing {}'.format(page, target)
    cited = set(re.findall(r'`((?:examples|deploy|benchmarks|protos|dchain|launcher)/'
                           r'[\w./-]+\.(?:py|proto|sh|sbatch|yaml|md))`', text))
    for path in cited:
        assert (ROOT / path).exists(), '{} cites missing {}'.format(page, path)


def test_distributed_page_lists_every_communicator():
    from dchain.distributed import communicators
    text = (DOCS / 'distributed.md').read_text()
    for name in communicators._NAMES:
        assert '| `{}` |'.format(name) in text, name
