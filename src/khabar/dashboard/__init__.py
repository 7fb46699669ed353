"""The web dashboard ``khabar serve`` shows at ``/ui/``: a map, a timeline, filters, the event
table, and pages for each event, article and run, all served by khabar itself (no CDN, no tile
server). Its third-party browser assets are installed by ``make`` (see ``web/`` and
docs/dashboard.md). The routes are in :mod:`khabar.dashboard.routes`."""
