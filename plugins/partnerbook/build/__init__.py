"""One build of a handbook: its options, the build itself, its cache, the docs folder it fills, and the site check."""
