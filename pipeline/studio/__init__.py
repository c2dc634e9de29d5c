"""`portevoix studio`: a local web interface on the podcast folder, for people who do not use a terminal.

Built on Flask rather than Starlette + uvicorn: the studio serves one person on their own machine,
its pages are server-rendered jinja2 (Flask's own template engine, the one the site uses), and its
work is synchronous library calls (load, check, build) that gain nothing from an event loop. Flask
is five small pure-Python wheels; Starlette would need uvicorn and python-multipart beside it for the
same forms and uploads. Werkzeug's threaded server is enough for one local user.

The folder stays the one source of truth: pages read podcast.yaml and episode.md through the same
loader as `portevoix check`, and saving writes those files back with their comments and key order
kept (pipeline/studio/roundtrip.py). Security is in pipeline/studio/guard.py.
"""
