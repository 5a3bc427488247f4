"""One build of a handbook, whatever host runs it: the options, the session and its builds,
the caches, the docs-folder sync (`partnerbook generate`) and the site check."""
