"""The site's data downloads (formats/export.py's files), kept between builds: in memory across
`mkdocs serve` rebuilds and in the cache folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..data.model import Network
from ..formats import export
from ..formats.export import DOWNLOADS, EXPORTED_COLLECTIONS, flat_graph, to_csv_tables, to_gexf, to_graphml, to_json

# The downloads change when the code that writes them does.
_EXPORT_CODE = hashlib.sha256(Path(export.__file__).read_bytes()).hexdigest()[:16]


def download_files(network: Network, cache_dir: Path | None = None,
                   memory: dict[str, dict[str, str]] | None = None, *, only_cached: bool = False,
                   data_key: str | None = None) -> dict[str, str] | None:
    """File name → content of every download the site offers.

    GraphML and GEXF cost about a second at 1,000 partners, so the files are
    kept (in `memory` across `mkdocs serve` rebuilds, and in `cache_dir`) under
    a hash of the JSON export and every record's source position: the two
    together determine every file. With `data_key` (the checked data's key and the edition, which
    determine the network too) the JSON is not written to find them (0.8 s at 1,000 partners).
    With `only_cached`, None when not cached."""
    json_text = None
    if data_key is None:
        json_text = to_json(network)
        sources = "\n".join(str(item.source) for name in EXPORTED_COLLECTIONS for item in getattr(network, name))
        key = hashlib.sha256(f"{_EXPORT_CODE}\0{json_text}\0{sources}".encode()).hexdigest()[:32]
    else:
        key = hashlib.sha256(f"{_EXPORT_CODE}\0data {data_key}".encode()).hexdigest()[:32]
    cached = (memory or {}).get(key)
    cache_file = cache_dir / f"downloads-{key}.json" if cache_dir else None
    if cached is None and cache_file is not None and cache_file.is_file():
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = None
    if cached is None:
        if only_cached:
            return None
        graph = flat_graph(network)
        json_text = json_text if json_text is not None else to_json(network)
        cached = {"partnerbook.json": json_text, "partnerbook.graphml": to_graphml(network, graph),
                  "partnerbook.gexf": to_gexf(network, graph), **to_csv_tables(network)}
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)  # the cache_dir
                for stale in cache_file.parent.glob("downloads-*.json"):  # one set of downloads is enough
                    stale.unlink()
                cache_file.write_text(json.dumps(cached), encoding="utf-8")
            except OSError:
                pass  # a cache we cannot write costs time, not correctness
    if memory is not None:  # keep one set; readers in other threads see the old or the new one
        memory[key] = cached
        for old in [k for k in list(memory) if k != key]:
            memory.pop(old, None)
    return {name: cached[name] for name, _ in DOWNLOADS}
