"""The ground floor: problems (FILE:LINE messages), suggestions, site URLs, safe file writes, forked work.

Imports nothing else of partnerbook."""
