"""`partnerbook diff [OLD] [NEW] [DIR]`: what changed between two versions of the data, in words.

OLD and NEW are git revisions of the repository holding the handbook, or folders; by default
OLD is `HEAD` and NEW the working tree. A report, not a check: it exits 0 whatever changed, and 1
only when a version cannot be read at all. `--format json` is documented in content/reviewing-changes.md.
"""

from __future__ import annotations

import argparse
import copyreg
import io
import json
import pickle
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType

from ..analysis.changes import SECTIONS, Changes, Snapshot, compare, snapshot
from ..base import parallel
from ..build.handbook import HandbookOptions, NotAHandbook, find_handbook
from ..build.revisions import RevisionError, Version, open_version
from ..i18n import language as i18n
from ..site import changes as words

JSON_FORMAT_VERSION = 1
FORMATS = ("text", "markdown", "json")


def add_parser(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two git revisions (or folders) of the data, in words",
        description="Compare two versions of the handbook's data: OLD and NEW are git revisions (anything "
                    "`git rev-parse` accepts: HEAD~3, a tag, main@{2026-01-01}) or folders. Default: OLD = HEAD, "
                    "NEW = the working tree. Exit 0 whatever changed.")
    diff.add_argument("versions", nargs="*", metavar="OLD NEW DIR",
                      help="OLD (default HEAD), NEW (default the working tree) and the handbook folder (default: "
                           "NEW when it is a folder, else .)")
    diff.add_argument("--format", choices=FORMATS, default="text",
                      help="text (default), markdown (for a pull-request comment) or json (stable, for CI)")
    diff.add_argument("--language", help="language of the words (default: the handbook's)")
    diff.set_defaults(run=cmd_diff)


def _fail(message: str) -> int:
    print(f"partnerbook: error: {words.plain(message)}", file=sys.stderr)
    return 1


def _arguments(versions: list[str]) -> tuple[str, str | None, str] | str:
    if len(versions) > 3:
        return "give at most three arguments: OLD NEW DIR"
    old = versions[0] if versions else "HEAD"
    new = versions[1] if len(versions) > 1 else None
    if len(versions) > 2:
        directory = versions[2]
    elif new is not None and Path(new).is_dir():
        directory, new = new, (None if not Path(old).is_dir() else new)
    else:
        directory = "."
    return old, new, directory


def cmd_diff(args: argparse.Namespace) -> int:
    parsed = _arguments(args.versions)
    if isinstance(parsed, str):
        return _fail(parsed)
    old_spec, new_spec, directory = parsed
    try:
        handbook = find_handbook(Path(directory))
    except NotAHandbook as exc:
        return _fail(f"{directory}: {exc}")
    except (ValueError, OSError) as exc:
        return _fail(f"{directory}: {exc}")
    try:
        i18n.activate(i18n.load_language(args.language or handbook.language, handbook.templates_dir,
                                         from_theme=not args.language and handbook.language_from_theme))
    except (i18n.UnknownLanguage, i18n.CatalogError) as exc:
        return _fail(str(exc))
    with tempfile.TemporaryDirectory(prefix="partnerbook-diff-") as scratch:
        try:
            (old, old_snapshot), (new, new_snapshot) = _open_both(old_spec, new_spec, handbook, Path(scratch))
        except RevisionError as exc:
            return _fail(str(exc))
    for version in (old, new):
        _report_problems(version)
    if old_snapshot is None or new_snapshot is None:
        broken = old if old_snapshot is None else new
        return _fail(f"the data at {broken.label} does not load, even without the files with errors: "
                     "nothing to compare")
    print(render(compare(old_snapshot, new_snapshot), old, new, args.format))
    return 0


def _open_both(old_spec: str, new_spec: str | None, handbook: HandbookOptions,
               scratch: Path) -> tuple[tuple[Version, Snapshot | None], tuple[Version, Snapshot | None]]:
    """Both versions loaded and analysed; the old one in a forked process where there are two cores
    (loading is most of the time: 1,000 data files take about a second and a half each)."""
    checks = dict(handbook.checks or {})

    def analysed(spec: str | None, folder: Path) -> tuple[Version, Snapshot | None]:
        version = open_version(spec, handbook.root, handbook, folder)
        return version, (snapshot(version.network, version.window_months, checks) if version.network else None)

    def in_child() -> bytes:
        return _pickled(analysed(old_spec, scratch / "old"))

    child = parallel.Forked(in_child) if parallel.can_fork(1, 1) else None
    try:
        new = analysed(new_spec, scratch / "new")
    except BaseException:
        if child is not None:
            child.discard()
        raise
    try:
        if child is None:
            raise parallel.ChildFailed()
        old = pickle.loads(child.result())
    except parallel.ChildFailed:  # no second core, or the child failed: here, where an error is reported
        old = analysed(old_spec, scratch / "old-again")
    return old, new


def _report_problems(version: Version) -> None:
    if not version.errors:
        return
    left = f" ({', '.join(version.left_out)} left out)" if version.left_out else ""
    print(f"partnerbook: {version.label} has {len(version.errors)} error(s); compared what loads{left}:",
          file=sys.stderr)
    for problem in version.errors:
        print(words.plain(str(problem)), file=sys.stderr)


def _mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


def _pickled(value: object) -> bytes:
    """The model holds read-only mappings (MappingProxyType), which plain pickle refuses."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: lambda m: (_mapping, (dict(m),))}
    pickler.dump(value)
    return buffer.getvalue()


def _heading(changes: Changes, old: Version, new: Version) -> tuple[str, str]:
    title = words.title(changes, old.label, old.date)
    return title, i18n._("%(old)s → %(new)s", old=_described(old), new=_described(new))


def _described(version: Version) -> str:
    text = version.label
    if version.commit:
        text += f" ({version.commit[:12]})"
    return words.plain(text)


def render(changes: Changes, old: Version, new: Version, format: str) -> str:
    if format == "json":
        # default=str: a finding's title is a message translated when shown (i18n/message.py)
        return json.dumps(as_json(changes, old, new), indent=2, ensure_ascii=False, sort_keys=False, default=str)
    title, compared = _heading(changes, old, new)
    found = words.sections(changes, words.Wording())
    if format == "markdown":
        md = words.Wording(text=lambda t: _markdown_text(t),
                           name=lambda kind, item_id, name: f"**{_markdown_text(name)}**")
        found = words.sections(changes, md)
        lines = [f"## {_markdown_text(title)}", "", _markdown_text(compared), ""]
        for _section, heading, sentences in found:
            lines += [f"### {heading}", ""] + [f"- {s}" for s in sentences] + [""]
        if not found:
            lines += [words.nothing_changed(), ""]
        return "\n".join(lines).rstrip() + "\n"
    lines = [title, compared, ""]
    for _section, heading, sentences in found:
        lines += [heading] + [f"  - {s}" for s in sentences] + [""]
    if not found:
        lines.append(words.nothing_changed())
    return "\n".join(lines).rstrip()


def _markdown_text(text: str) -> str:
    """A user's text that shows as itself in a pull-request comment."""
    escaped = words.plain(text)
    for char in "\\`*_[]<>#|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _version_json(changes_side: Snapshot, version: Version) -> dict:
    first, last = changes_side.window
    return {
        "label": version.label, "commit": version.commit,
        "date": version.date.isoformat() if version.date else None,
        "as_of": changes_side.network.as_of.isoformat(),
        "window": {"first": first.isoformat(), "last": last.isoformat()},
        "left_out": version.left_out,
        "errors": [str(p) for p in version.errors],
    }


def as_json(changes: Changes, old: Version, new: Version) -> dict:
    """The stable JSON output (format version 1): documented in content/reviewing-changes.md."""
    wording = words.Wording()
    return {
        "format": "partnerbook-diff", "version": JSON_FORMAT_VERSION,
        "old": _version_json(changes.old, old), "new": _version_json(changes.new, new),
        "counts": {section: len(changes.of_section(section)) for section in SECTIONS},
        "changes": [{"section": c.section, "kind": c.kind, "subject": c.subject, "partners": list(c.partners),
                     "before": c.before, "after": c.after, "detail": dict(c.detail),
                     "text": words.sentence(c, changes, wording)} for c in changes.items],
    }
