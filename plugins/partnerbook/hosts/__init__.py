"""The hosts partnerbook runs under: MkDocs and ProperDocs (the plugin) and Zensical (a Markdown extension)."""
