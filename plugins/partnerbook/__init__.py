"""partnerbook: an MkDocs plugin that builds a partnership playbook from a value network kept as YAML."""

__version__ = "0.1.0"
