"""Staff curation of the directory: listings, review, stale listings and reports."""
