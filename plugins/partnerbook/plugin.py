"""The MkDocs plugin: wires MkDocs events to the pure modules of this package."""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .checks import check_data
from .config import PartnerbookConfig
from .handbook import to_date
from .problems import format_problems

log = get_plugin_logger(__name__)


class PartnerbookPlugin(BasePlugin[PartnerbookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps one plugin instance across `mkdocs serve`
        # rebuilds, so the diagram cache in memory survives them.
        self.network = None

    def on_config(self, config):
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.data_dir = self.root / self.config.data_dir
        try:
            as_of = to_date(self.config.as_of)
        except ValueError as exc:
            raise PluginError(f"partnerbook: as_of: {exc}") from None
        started = time.perf_counter()
        result = check_data(
            self.data_dir, root=self.root, as_of=as_of,
            scorecard_elements=tuple(self.config.scorecard_elements or ()) or None,
        )
        if result.errors:
            raise PluginError(
                f"partnerbook: {len(result.errors)} error(s) in {self.config.data_dir}/:\n"
                + format_problems(result.problems)
            )
        for warning in sorted(result.problems):
            log.warning(str(warning))
        self.network = result.network
        log.info(
            f"loaded {len(self.network.partners)} partners, {len(self.network.exchanges)} exchanges "
            f"from {self.config.data_dir}/ in {time.perf_counter() - started:.2f} s"
        )
        return config

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.data_dir))
        templates = self.root / self.config.templates_dir
        if templates.is_dir():
            server.watch(str(templates))
        return server
