"""Fixture handbooks written to tmp_path and built with the real `mkdocs` and `partnerbook` commands.

The commands run in this process (`in_process`): the same click and argparse entry points a
shell calls, with their output and exit code captured as `subprocess.run` would give them,
so a test pays for the build and not for starting Python and importing MkDocs again (0.7 s
each time, three quarters of the suite's time). Environment variables a test sets are set here
for the command's time (partnerbook and the programs it starts read them as they run); one that
Python reads only as it starts (PYTHONHASHSEED, …), and every other program, gets a real process.

Tiers (markers, set by folder or by test): `browser`, `print`, `hosts`, `scale`, `serve`, all
of them `slow`; `pytest -m "not slow"` (`make test-fast`) is the fast tier.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import functools
import http.server
import io
import json
import logging
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# What MkDocs' log says when it wrote a large site's pages in two processes (hosts/mkdocs_pages.py).
PAGES_IN_TWO_PROCESSES = re.compile(r"partnerbook: (\d+) pages written in 2 processes \((\d+) by the second\)")

MINIMAL_NETWORK = """\
network:
  name: Tiny network
  focal: hub
  as_of: 2026-01-01
partners:
  - id: hub
    name: Hub Org
  - id: maker
    name: Maker Co
    network: ivn
    ivn_criteria: [develops]
    roles: [key-activities]
  - id: payer
    name: Payer Fund
    kind: funder
    network: ovn
    ovn_type: funder
relationships:
  - {from: maker, to: hub, deliverable: Code, nature: tangible}
  - {from: payer, to: hub, deliverable: Money, nature: tangible}
  - {from: hub, to: payer, deliverable: Reports, nature: intangible}
"""


# The slow tiers: a folder's tests, or a test marked by hand (`serve`), are in the tier; each is `slow`.
TIERS = {"browser": "drives headless Chromium (Debian's chromium package)",
         "print": "prints pages to PDF in headless Chromium and reads them with poppler",
         "hosts": "builds with the other hosts (ProperDocs, Zensical), or the package as a wheel",
         "scale": "builds or reads a handbook at scale (the 1,000-partner handbook, the 2,302-organisation IATI import)",
         "serve": "runs `mkdocs serve`, or `partnerbook generate --watch` beside `zensical serve`"}
FOLDER_TIERS = {"browser": ("browser",), "hosts": ("hosts",), "scale": ("scale",)}
# A partner page kept small however much one partner does: a hub of 400 agreements, 300 projects, 550 payments.
FILE_TIERS = {"test_print.py": ("print",), "test_partner_sections.py": ("scale",)}


def pytest_configure(config):
    SharedBytecode.install()
    for name, about in TIERS.items():
        config.addinivalue_line("markers", f"{name}: {about} (slow)")
    config.addinivalue_line("markers", "slow: any of the slow tiers; `pytest -m 'not slow'` is the fast tier")


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        folder = path.parent.relative_to(tests).parts[:1] if path.is_relative_to(tests) else ()
        tiers = [*(FOLDER_TIERS.get(folder[0], ()) if folder else ()), *FILE_TIERS.get(path.name, ())]
        if "thousand_partners" in getattr(item, "fixturenames", ()):
            tiers.append("scale")  # wherever the test is: it needs the 1,000-partner build
        for tier in tiers:
            item.add_marker(tier)
        if tiers or any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker("slow")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # The modules with a build of their own first, then the other slow tests, the fast ones last:
        # the long units are handed out while the other worker still has work, and the last ones
        # handed out are short, so that neither worker waits long for the other at the end
        # (every worker sorts alike, as xdist requires). In a worker, config's `dist` always reads
        # "no" (xdist/remote.py sets it so): asking it for "loadgroup" left the tests in file order.
        items.sort(key=lambda item: (_unit(item.nodeid)[0], item.get_closest_marker("slow") is None))


# -- two workers (make test: pytest -n 2 --dist loadgroup) ---------------------------

SESSION_BUILDS = {"thousand_partners": "thousand"}  # the costliest shared build: its readers in one unit


@functools.cache
def _module_units(module: str) -> dict[str, str]:
    """{test function: its unit} for a test module (its path from the root), read from its source: a
    test that reads a module-scoped fixture (directly or through the module's other fixtures) is in
    the module's unit; one that reads the 1,000-partner handbook in "thousand". Others are their own."""
    path = ROOT / module
    if path.suffix != ".py" or not path.is_file():
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    fixtures: dict[str, tuple[str, list[str]]] = {}
    for node in functions:
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) == "pytest.fixture":
                scope = next((ast.literal_eval(k.value) for k in (call.keywords if call else []) if k.arg == "scope"),
                             "function")
                fixtures[node.name] = (scope, [a.arg for a in node.args.args])

    def reads(names: list[str], seen: set[str]) -> set[str]:
        for name in names:
            if name not in seen:
                seen.add(name)
                reads(fixtures.get(name, ("", []))[1], seen)
        return seen

    units = {}
    for node in functions:
        if node.name.startswith("test"):
            used = reads([a.arg for a in node.args.args], set())
            if used & SESSION_BUILDS.keys():
                units[node.name] = SESSION_BUILDS[next(iter(sorted(used & SESSION_BUILDS.keys())))]
            elif any(fixtures[name][0] == "module" for name in used if name in fixtures):
                units[node.name] = module
    return units


def _unit(nodeid: str) -> tuple[int, str]:
    """The work unit of a test under `--dist loadgroup` and its rank (the long units first)."""
    module, _, rest = nodeid.partition("::")
    unit = _module_units(module).get(rest.split("::")[-1].split("[")[0])
    if unit is None:
        return 2, nodeid
    return (0 if unit in SESSION_BUILDS.values() else 1), unit


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`: the tests that read a module-scoped build run in one worker (it builds once),
    so do the readers of the 1,000-partner handbook; every other test goes to whichever worker is
    free. The long units are handed out first (the workers sort their tests so), so that no worker is
    left with one at the end. (pytest-xdist's own loadgroup reads `xdist_group` marks through node ids
    that pytest 9 no longer lets it change: pytest-xdist#1386.) The example's readers need no
    grouping: `shared_build` builds it once per run whichever worker asks first."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByBuild(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)[1]

    config.option.loadscopereorder = False  # the workers' order (pytest_collection_modifyitems)
    return ByBuild(config, log)


# -- the commands, in this process -------------------------------------------------

class SharedBytecode:
    """Jinja's compiled templates, kept for the next build in this process.

    A process of its own parses and compiles Material's ~40 templates and partnerbook's ~35,
    and lists Material's ~10,000 theme files, on every build: most of a small handbook's build.
    In one process the tests keep them, as a long-running host could: compiled code by template
    name, file, source checksum and every setting of the environment the compiler reads (Jinja
    checks the checksum, so an edited or overriding template is compiled again), and the listing
    of the theme's static files when every theme folder is inside the virtual environment or
    partnerbook's package (they do not change during a run; a handbook's own `custom_dir` is
    listed on every build). The pages come out the same; only time is saved."""

    compiled: ClassVar[dict[tuple[str, str, str | None, str], object]] = {}  # code objects
    signatures: ClassVar[dict[int, tuple[object, tuple, str]]] = {}
    callables: ClassVar[dict[int, tuple[object, str]]] = {}
    listed: ClassVar[dict[tuple[str, bool], list[str]]] = {}
    theme_files: ClassVar[dict[tuple, list[tuple[str, str]]]] = {}

    @classmethod
    def signature(cls, env, name: str) -> str:
        """What the compiler reads from the environment besides the source: the same template
        compiles to the same code when these are the same. Kept by environment while its filters,
        tests and extensions are the same objects (a template is looked up thousands of times)."""
        from jinja2.utils import _PassArg

        def described(value) -> str:
            if not callable(value):
                return repr(value)
            known = cls.callables.get(id(value))
            if known is None or known[0] is not value:  # the object itself is kept, so its id is not reused
                known = cls.callables[id(value)] = (value, f"{getattr(value, '__module__', '')}."
                    f"{getattr(value, '__qualname__', type(value).__name__)}:{_PassArg.from_obj(value)}")
            return known[1]

        settings = (tuple(env.extensions), env.block_start_string, env.block_end_string, env.variable_start_string,
                    env.variable_end_string, env.comment_start_string, env.comment_end_string,
                    env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                    env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
                    getattr(env, "newstyle_gettext", None), id(env.finalize),
                    tuple((key, id(value)) for key, value in env.policies.items()),
                    tuple(map(id, env.filters.values())), tuple(env.filters),
                    tuple(map(id, env.tests.values())), tuple(env.tests))
        known = cls.signatures.get(id(env))
        if known is None or known[0] is not env or known[1] != settings:
            text = repr((sorted(env.extensions), *settings[1:16], described(env.finalize),
                         sorted((key, described(value)) for key, value in env.policies.items()),
                         sorted((key, described(value)) for key, value in env.filters.items()),
                         sorted((key, described(value)) for key, value in env.tests.items())))
            known = cls.signatures[id(env)] = (env, settings, text)
        autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        return f"{autoescape}\0{known[2]}"

    @classmethod
    def install(cls) -> None:
        import jinja2
        from jinja2.bccache import Bucket, BytecodeCache

        if getattr(jinja2.Environment.__init__, "shared_bytecode", False):
            return

        class Cache(BytecodeCache):
            """Code objects in memory: no marshalling to and from bytes. In front of the environment's
            own cache where it has one (partnerbook keeps compiled templates in the handbook's cache
            folder, which is new for every test): that one is still read and written, as in a build."""

            def __init__(self, own: BytecodeCache | None) -> None:
                self.own = own

            def get_bucket(self, environment, name, filename, source) -> Bucket:
                key = (cls.signature(environment, name), name, filename, self.get_source_checksum(source))
                bucket = Bucket(environment, repr(key), key[3])
                bucket.code = cls.compiled.get(key)
                bucket.shared_key = key
                bucket.own = None
                if self.own is not None:
                    bucket.own = self.own.get_bucket(environment, name, filename, source)
                    if bucket.code is None and bucket.own.code is not None:
                        bucket.code = cls.compiled[key] = bucket.own.code
                return bucket

            def set_bucket(self, bucket) -> None:
                cls.compiled[bucket.shared_key] = bucket.code
                if bucket.own is not None:
                    bucket.own.code = bucket.code
                    self.own.set_bucket(bucket.own)

        shared = Cache(None)
        init = jinja2.Environment.__init__

        def shared_init(self, *args, **kwargs) -> None:
            init(self, *args, **kwargs)
            # MkDocs' theme, partnerbook's templates and every other
            self.bytecode_cache = shared if self.bytecode_cache is None else Cache(self.bytecode_cache)

        shared_init.shared_bytecode = True
        jinja2.Environment.__init__ = shared_init

        list_templates = jinja2.FileSystemLoader.list_templates
        installed = os.path.realpath(sys.prefix) + os.sep

        def shared_list_templates(self) -> list[str]:
            found: set[str] = set()
            for folder in self.searchpath:
                key = (folder, self.followlinks)
                if key not in cls.listed or not os.path.realpath(folder).startswith(installed):
                    cls.listed[key] = list_templates(jinja2.FileSystemLoader(folder, followlinks=self.followlinks))
                found.update(cls.listed[key])
            return sorted(found)

        jinja2.FileSystemLoader.list_templates = shared_list_templates

        from mkdocs.structure import files
        add_files_from_theme = files.Files.add_files_from_theme
        package = os.path.realpath(ROOT / "plugins") + os.sep

        def shared_add_files_from_theme(self, env, config) -> None:
            folders = tuple(config.theme.dirs)
            if not all(os.path.realpath(f).startswith((installed, package)) for f in folders):
                return add_files_from_theme(self, env, config)
            key = (folders, tuple(config.theme.static_templates))
            if key not in cls.theme_files:
                found = files.Files([])
                add_files_from_theme(found, env, config)
                cls.theme_files[key] = [(f.src_uri, f.src_dir) for f in found]
            for path, folder in cls.theme_files[key]:
                if self.get_file_from_path(path) is None:  # the docs folder's files come first
                    self.append(files.File(path, folder, config.site_dir, config.use_directory_urls))

        files.Files.add_files_from_theme = shared_add_files_from_theme


def _mkdocs(args: list[str]) -> int:
    from mkdocs.__main__ import ColorFormatter, cli
    SharedBytecode.install()
    ColorFormatter.text_wrapper.width = 0  # as under a pipe: no wrapping to this terminal's width
    try:
        cli.main(args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _partnerbook(args: list[str]) -> int:
    from partnerbook.cli import main
    try:
        return main(args) or 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)


def _reset_logging() -> None:
    """What one `mkdocs` run leaves on the loggers, which a process would take with it."""
    from mkdocs.commands import build
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        if handler.name == "MkDocsStreamHandler":
            mkdocs_log.removeHandler(handler)
    for log_filter in list(build.log.filters):  # mkdocs adds a DuplicateFilter per run
        build.log.removeFilter(log_filter)


def in_process(args: tuple[str, ...], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess | None:
    """`mkdocs build …` or `partnerbook …` run here, as `subprocess.run` would report it, with the
    variables of `env` set meanwhile; None for any other command, or where `env` sets a variable
    Python reads only as it starts. An exception that escapes is printed as Python would, exit code 1."""
    program, *rest = args
    if any(name.startswith("PYTHON") for name in env or {}):
        return None
    if program == "mkdocs" and rest[:1] == ["build"]:
        command = _mkdocs
    elif program == "partnerbook":
        command = _partnerbook
    else:
        return None
    from partnerbook.i18n import language as i18n
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    environment = dict(os.environ)
    os.chdir(cwd)
    try:
        os.environ.update(env or {})
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command(rest)
            except Exception:  # noqa: BLE001  (what a process would print before dying)
                traceback.print_exc(file=err)
                code = 1
    finally:
        os.environ.clear()
        os.environ.update(environment)
        os.chdir(before)
        _reset_logging()
        i18n.activate(None)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@dataclass
class Handbook:
    path: Path
    log: str = field(default="", repr=False)  # the stderr of the build a fixture made

    def write(self, relative: str, text: str) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
        return target

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """A command in the handbook's folder: `mkdocs build` and `partnerbook` in this process (with
        the variables of `env`) unless `env` sets one Python reads as it starts; anything else in a process."""
        if os.environ.get("PARTNERBOOK_TESTS_SUBPROCESS") != "1":
            ran = in_process(args, self.path, env)
            if ran is not None:
                return ran
        return self.run_process(*args, env=env)

    def run_process(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args), cwd=self.path, capture_output=True, text=True, timeout=300,
            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})},
        )

    def build(self, *extra: str, strict: bool = True) -> subprocess.CompletedProcess:
        return self.run("mkdocs", "build", *extra, *(["--strict"] if strict else []))

    def check(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("partnerbook", "check", *args)

    def page(self, url_path: str) -> BeautifulSoup:
        """Parsed HTML of a built page, e.g. 'partners/hub/' or 'index.html'."""
        target = self.path / "site" / url_path
        if url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")


def example_handbook(folder: Path) -> Handbook:
    """A copy of the repository's example handbook (data, prose, templates, mkdocs.yml)."""
    book = Handbook(Path(folder))
    shutil.copytree(ROOT, book.path, ignore=shutil.ignore_patterns(
        ".venv*", "site", ".cache", ".partnerbook", ".git", "tests", "node_modules", "test-artifacts",
        "docs-images", "build"))
    return book


def mkdocs_yml(theme: str = "material", plugin_options: str = "", extra: str = "") -> str:
    options = textwrap.indent(textwrap.dedent(plugin_options).strip(), " " * 6)
    plugin = "  - partnerbook" + (":\n" + options if options else "")
    return f"site_name: Fixture\ndocs_dir: content\ntheme:\n  name: {theme}\nplugins:\n  - search\n{plugin}\n{extra}"


@pytest.fixture(autouse=True)
def english_again():
    """A test that builds in-process in another language leaves English active for the next."""
    yield
    from partnerbook.i18n import language as i18n
    i18n.activate(None)


MINIMAL_FILES = {
    "mkdocs.yml": mkdocs_yml(),
    "content/index.md": "# Welcome\n\nSee [the partners](partners/index.md).\n",
    "network/network.yml": MINIMAL_NETWORK,
}


@pytest.fixture
def handbook(tmp_path) -> Handbook:
    """A small valid handbook; tests rewrite any file they need."""
    book = Handbook(tmp_path / "book")
    for relative, text in MINIMAL_FILES.items():
        book.write(relative, text)
    return book


@dataclass
class Site(Handbook):
    """A handbook built by `build_site`: `result` is the build's exit code and output, `log` its stderr."""

    result: subprocess.CompletedProcess | None = field(default=None, repr=False)


@pytest.fixture
def build_site(tmp_path):
    """`build_site({path: text, …}, *mkdocs_options, strict=True)`: the minimal handbook with these
    files added or replaced (None removes one), built in this process in a fresh folder."""
    made = []

    def build(files: dict[str, str | None] | None = None, *options: str, strict: bool = True) -> Site:
        site = Site(tmp_path / f"site{len(made)}")
        made.append(site)
        for relative, text in {**MINIMAL_FILES, **(files or {})}.items():
            if text is not None:
                site.write(relative, text)
        site.result = site.build(*options, strict=strict)
        site.log = site.result.stderr
        return site

    return build


_SHARED: dict[str, Site] = {}


def shared_build(tmp_path_factory, name: str, make: Callable[[Path], subprocess.CompletedProcess]) -> Site:
    """A handbook built once for the whole run, whichever pytest-xdist worker asks first: `make(folder)`
    writes it into `folder` and builds it. The other workers wait for that build (a lock file in the
    run's common temporary folder) and read the same folder, so tests that use it must only read it.
    Its result (exit code, output) is kept next to it."""
    if name in _SHARED:
        return _SHARED[name]
    base = tmp_path_factory.getbasetemp()
    common = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # popen-gw0's parent: the run's
    folder, record = common / f"shared-{name}", common / f"shared-{name}.json"
    with open(common / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the worker dies
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that died half-way
            folder.mkdir()
            result = make(folder / "book")
            record.write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                          "stdout": result.stdout, "stderr": result.stderr}), encoding="utf-8")
        kept = json.loads(record.read_text(encoding="utf-8"))
    result = subprocess.CompletedProcess(kept["args"], kept["returncode"], kept["stdout"], kept["stderr"])
    _SHARED[name] = Site(folder / "book", log=result.stderr, result=result)
    return _SHARED[name]


def built_example(tmp_path_factory) -> Site:
    """The repository's own handbook, built once per test run (`shared_build`). A plain function, not
    only a fixture, so that `site_url` reaches it where a module has a fixture of its own named
    `example` (test_print.py's)."""
    return shared_build(tmp_path_factory, "example", lambda folder: example_handbook(folder).build())


def example_in_language(tmp_path_factory, language: str) -> Site:
    """The repository's handbook with its theme's `language` set (the site in that language),
    built once per test run (`shared_build`): the reading tests and the translation tests read
    the same builds."""

    def make(folder: Path) -> subprocess.CompletedProcess:
        book = example_handbook(folder)
        config = book.path / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "theme:\n  name: material\n", f"theme:\n  name: material\n  language: {language}\n", 1),
            encoding="utf-8")
        return book.build()

    return shared_build(tmp_path_factory, f"example-{language}", make)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Site:
    """The repository's own handbook, built once for every test that only reads it (the site
    tests, the impact tests, the browser and print tests)."""
    book = built_example(tmp_path_factory)
    result = book.result
    assert result.returncode == 0, result.stderr[-3000:]
    return book


# -- the browser tiers: one Chromium and one served example for all their tests -------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-gpu"]


class _BuiltSiteHandler(http.server.SimpleHTTPRequestHandler):
    """A built site as a static host serves it: connections kept alive (HTTP/1.1), and the files kept
    by the browser for the test's time (a served site does not change while it is served), so a test
    that opens twenty pages in one context loads Material's scripts and styles once, not twenty times."""

    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args) -> None:  # one line per request would bury the test's report
        pass


class _SiteWithoutSearchHandler(_BuiltSiteHandler):
    """The built site with Material's search index emptied (its settings kept, no page in it).

    Material's search worker builds the whole index again on every page load: 45 % of the renderer's
    CPU for a page of the example (measured 2026-12-07). Tests that measure what a page shows, and
    search nothing, are served this way; the search tests and the accessibility tests are not."""

    # (index file, its size and time) → the index without its pages: the 1,000-partner index is
    # megabytes, asked for by each test's browser context.
    emptied: ClassVar[dict[tuple[Path, int, int], bytes]] = {}

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.name == "search_index.json" and path.parent.name == "search" and path.is_file():
            status = path.stat()
            key = (path, status.st_size, status.st_mtime_ns)
            body = self.emptied.get(key)
            if body is None:
                index = json.loads(path.read_text(encoding="utf-8"))
                body = self.emptied[key] = json.dumps({**index, "docs": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve_folder(folder: Path, search: bool = True):
    """`folder` served on localhost (a port of its own); `search=False`: with an empty search index."""
    handler = _BuiltSiteHandler if search else _SiteWithoutSearchHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Set up: the page has loaded and partnerbook.js has fitted each diagram (it marks the frame), then two
# frames are drawn. What the tests used to wait a fixed 150 ms or a quiet network for.
SET_UP = """async () => {
    const ready = () => document.readyState === 'complete' && [...document.querySelectorAll('.pb-svg-frame')]
        .every(frame => frame.dataset.pbZoom || !frame.querySelector('svg.pb-svg'));
    for (const start = Date.now(); !ready() && Date.now() - start < 10000;) {
        await new Promise(resolve => setTimeout(resolve, 10));
    }
    await document.fonts.ready;
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}"""


def open_set_up(page, url: str) -> None:
    """`page` at `url`, loaded and set up by partnerbook.js (SET_UP)."""
    page.goto(url, wait_until="load")
    page.evaluate(SET_UP)


def _served_example(tmp_path_factory, search: bool):
    if os.environ.get("PARTNERBOOK_BROWSER_TESTS") == "0":
        pytest.skip("browser tests switched off with PARTNERBOOK_BROWSER_TESTS=0")
    book = built_example(tmp_path_factory)
    build = book.result
    assert build.returncode == 0, build.stderr
    return serve_folder(book.path / "site", search=search)


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The example handbook's site served on localhost (the session's one build of it)."""
    server = _served_example(tmp_path_factory, search=True)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def quiet_site_url(tmp_path_factory):
    """The same site served with an empty search index (serve_folder), for tests that search nothing."""
    server = _served_example(tmp_path_factory, search=False)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `mkdocs serve`: its log lines as they come, and its pages over HTTP."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in process.stderr], daemon=True).start()

    def wait_for(self, pattern: str, timeout: float = 90) -> str:
        """The next log line matching `pattern` (a regular expression); lines passed over are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise AssertionError(f"mkdocs serve exited with {self.process.returncode}") from None
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no log line matched {pattern!r} in {timeout} s; the log:\n" + "".join(self.seen[-40:]))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as response:
            return response.read().decode("utf-8")


@contextlib.contextmanager
def serving(book: Handbook):
    port = free_port()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=book.path,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        served = Served(process, port)
        served.wait_for(r"Serving on http://")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def thousand_partners(tmp_path_factory) -> Handbook:
    """A 1,000-partner handbook (benchmarks/generate.py), built once for every test that reads it
    (`shared_build`: once per run, whichever worker asks first)."""

    def make(folder: Path) -> subprocess.CompletedProcess:
        book = Handbook(folder)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "handbook", "1000", str(book.path)],
                       check=True, capture_output=True)
        # The generator's partners other than the focal one have a handful of counterparts each: one
        # hub more, with 60 (above overview_threshold), as a platform or a network secretariat would be.
        hub = book.path / "network" / "partners" / "p0001.yml"
        record = yaml.safe_load(hub.read_text(encoding="utf-8"))
        record["relationships"] = (record.get("relationships") or []) + [
            {"from": "p0001", "to": f"p{n:04d}", "deliverable": "Referrals", "nature": "intangible"}
            for n in range(100, 160)]
        hub.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
        # (The synthetic data has warnings: OVN partners with signed agreements.) A process of its own: a
        # test worker has threads (xdist's), and a process with threads renders in one process only
        # (parallel.can_fork); this build is the two-process one that test_build_cache compares.
        return book.run_process("mkdocs", "build")

    book = shared_build(tmp_path_factory, "thousand", make)
    result = book.result
    assert result.returncode == 0, result.stderr
    return book
