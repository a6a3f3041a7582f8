"""The archive in the browser: Datasette configured for nianbao (metadata, templates, and a
plugin adding full-text search and readable report pages), opened read-only by `nianbao serve`."""
