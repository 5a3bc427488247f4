"""One version of a handbook's data: a git revision, a folder, or the working tree, loaded with the real loader.

A revision's config file and data folder are read with `git archive` into a temporary folder (the
loader then reads files as it always does). A version with errors is not thrown away: the files
with errors are left out and the rest loaded again, so `partnerbook diff` can still compare what
loads, and says which files it left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..base.problems import Problem, display_path
from ..data.load import LoadResult, data_files, load_network
from ..data.model import Network
from .handbook import CONFIG_FILES, HandbookOptions, data_folder_options, find_handbook

WORKING_TREE = "working tree"
_GIT_TIMEOUT = 120  # seconds: a revision's data is read once; a hung git must not hang a build
_RETRIES = 5  # rounds of leaving out files with errors (a reference error can point at another file)


class RevisionError(Exception):
    """A version cannot be read at all: the message says why and what to do."""


@dataclass
class Version:
    label: str  # what the user named: a revision, a folder, or "working tree"
    commit: str | None = None  # the full hash of a revision
    date: dt.date | None = None  # the commit's date
    network: Network | None = None
    problems: list[Problem] = field(default_factory=list)  # errors are shown, named by the label
    left_out: list[str] = field(default_factory=list)  # data files with errors, not compared
    window_months: int = 12

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=_GIT_TIMEOUT,
                              text=not binary, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed (or not on PATH): comparing revisions needs it; "
                            "install git, or compare two folders instead") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git took longer than {_GIT_TIMEOUT} s to answer in {repo}") from None


def repository_of(handbook_dir: Path) -> tuple[Path, str]:
    """(the repository's top folder, the handbook's folder inside it as a git path prefix)."""
    top = _git(handbook_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(f"{handbook_dir} is not in a git repository, so it has no revisions to compare: "
                            "run partnerbook inside a clone of the handbook's repository (`git clone`, "
                            "not a downloaded archive), or compare two folders")
    prefix = _git(handbook_dir, "rev-parse", "--show-prefix").stdout.strip()
    return Path(top.stdout.strip()), prefix


def resolve_revision(repo: Path, revision: str) -> tuple[str, dt.date | None]:
    """(full commit hash, commit date) of anything `git rev-parse` accepts."""
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is not a revision (it starts with '-')")
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if found.returncode != 0:
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        if shallow:
            raise RevisionError(
                f"revision '{revision}' is not in this clone, which is shallow (it holds only the latest "
                "commits): fetch the whole history with `git fetch --unshallow`, or in CI check out with "
                "`fetch-depth: 0` (actions/checkout)")
        raise RevisionError(f"unknown revision '{revision}' in {repo}: give a commit, branch, tag, `HEAD~N` "
                            "or `BRANCH@{DATE}` (see `git log --oneline`)")
    commit = found.stdout.strip()
    shown = _git(repo, "show", "-s", "--format=%cs", commit).stdout.strip()
    try:
        date = dt.date.fromisoformat(shown)
    except ValueError:
        date = None
    return commit, date


def _paths_in(repo: Path, commit: str, paths: list[str]) -> set[str]:
    listed = _git(repo, "ls-tree", "--name-only", commit, "--", *paths)
    return set(listed.stdout.splitlines()) if listed.returncode == 0 else set()


def _extract(repo: Path, commit: str, path: str, into: Path) -> None:
    """The regular files under `path` at `commit`, written below `into` (two git processes, whatever
    the number of files: `ls-tree` names the blobs, one `cat-file --batch` reads them all). Symbolic
    links and submodules are skipped: a revision's data never points outside the temporary folder."""
    listed = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path, binary=True)
    if listed.returncode != 0:
        message = listed.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"git cannot read {path} at {commit[:12]}: {message}")
    blobs: list[tuple[str, str]] = []
    for entry in listed.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _tab, name = entry.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        relative = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        if kind != b"blob" or mode not in (b"100644", b"100755") or relative.is_absolute() or ".." in relative.parts:
            continue
        blobs.append((blob.decode(), relative.as_posix()))
    if not blobs:
        return
    try:
        read = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], capture_output=True,
                              input="".join(f"{blob}\n" for blob, _name in blobs).encode(), timeout=_GIT_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git took longer than {_GIT_TIMEOUT} s to read {path} at {commit[:12]}") from None
    output, at = read.stdout, 0
    for _blob, name in blobs:
        header_end = output.index(b"\n", at)
        size = int(output[at:header_end].split(b" ")[2])
        content = output[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1  # the content is followed by a newline
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def checkout_data(handbook_dir: Path, revision: str, into: Path, current: HandbookOptions) -> tuple[
        HandbookOptions, str, dt.date | None]:
    """The handbook's config file and data folder at `revision`, written under `into`:
    (its options, the commit, its date). The data folder is the one that revision's config names."""
    repo, prefix = repository_of(handbook_dir)
    commit, date = resolve_revision(repo, revision)
    config_paths = [prefix + name for name in CONFIG_FILES]
    present = _paths_in(repo, commit, config_paths)
    here = into / prefix if prefix else into
    here.mkdir(parents=True, exist_ok=True)
    config = next((path for path in config_paths if path in present), None)
    if config is not None:
        _extract(repo, commit, config, into)
    try:
        options = find_handbook(here / PurePosixPath(config).name) if config else None
    except (ValueError, OSError) as exc:
        raise RevisionError(f"{revision}:{config}: cannot read it: {exc}") from None
    if options is None:
        options = data_folder_options(here, here / _inside(current.data_dir, current.root))
    data = _inside(options.data_dir, here)
    if prefix + data.rstrip("/") not in _paths_in(repo, commit, [prefix + data.rstrip("/")]):
        raise RevisionError(f"the handbook has no data folder {data}/ at {revision} ({commit[:12]}): "
                            "compare with a later revision")
    _extract(repo, commit, prefix + data, into)
    # A revision's `as_of` and scorecard come from its own config; the window length from today's,
    # so both versions count money over windows of the same definition.
    return dataclasses.replace(options, funding_window_months=current.funding_window_months), commit, date


def _inside(data_dir: Path, root: Path) -> str:
    """The data folder as a path inside the handbook's folder (what a revision's tree holds)."""
    try:
        relative = PurePosixPath(data_dir.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        relative = None
    if relative is None or ".." in relative.parts:
        raise RevisionError(f"the data folder {data_dir} is outside the handbook's folder {root}: revisions can "
                            "be compared only when `data_dir` is inside it (compare two folders instead)")
    return relative.as_posix()


def load_leniently(options: HandbookOptions, label: str, scratch: Path) -> tuple[LoadResult, list[str]]:
    """The network of the data folder, leaving out files with errors when some have them:
    (the result with every problem found on the way, the files left out)."""
    root = options.root
    arguments: dict[str, Any] = {"as_of": options.as_of, "scorecard_elements": options.scorecard_elements}
    result = load_network(options.data_dir, root=root, **arguments)
    problems = list(result.problems)
    left_out: list[str] = []
    # Files as the loader names them in its messages; copies keep the same names under another root.
    files = {display_path(p, root): p for p in data_files(options.data_dir)} if options.data_dir.is_dir() else {}
    inside = PurePosixPath(display_path(options.data_dir, root))
    if inside.is_absolute() or ".." in inside.parts:  # a data folder outside the handbook's: its own name
        inside = PurePosixPath(options.data_dir.name)
    attempt = 0
    while result.network is None and attempt < _RETRIES:
        broken = {p.path for p in result.errors if p.path in files} - set(left_out)
        if not broken:
            break
        left_out += sorted(broken)
        attempt += 1
        copy = scratch / f"lenient-{attempt}"
        for shown, path in files.items():
            if shown not in left_out:
                target = copy / inside / path.relative_to(options.data_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        data_dir = copy / inside
        data_dir.mkdir(parents=True, exist_ok=True)
        result = load_network(data_dir, root=copy, **arguments)
        problems += [p for p in result.problems if p not in problems]
    return LoadResult(result.network, problems), left_out


def open_version(spec: str | None, handbook_dir: Path, current: HandbookOptions, scratch: Path) -> Version:
    """`spec`: None for the working tree, an existing folder (a handbook or data folder), or a revision of
    the repository holding `handbook_dir`. `scratch` is a temporary folder the caller removes."""
    commit = date = None
    if spec is None:
        options, label = current, WORKING_TREE
    elif Path(spec).is_dir():
        try:
            options = find_handbook(Path(spec))
        except (ValueError, OSError) as exc:
            raise RevisionError(f"{spec}: {exc}") from None
        label = spec
    else:
        into = scratch / "checkout"
        options, commit, date = checkout_data(handbook_dir, spec, into, current)
        label = spec
    result, left_out = load_leniently(options, label, scratch)
    named = [dataclasses.replace(p, path=f"{label}:{p.path}") if commit else p for p in result.problems]
    return Version(label, commit, date, result.network, named, left_out, options.funding_window_months)
