"""The command line reference's source: the click command of boilerline's typer app.

``docs/cli.md`` renders it with mkdocs-click (``::: mkdocs-click`` with ``:module:
cli_reference`` and ``:command: command``), so every command and option of
``classifier.cli.app``, including those added later, is in the reference at the next build,
with its help as the code says it; nothing is retyped.

mkdocs.yml lists this file as a hook too: mkdocs loads a hook from its path, under a name
that cannot be imported, so loading it registers the module as ``cli_reference`` for
mkdocs-click to import.
"""

import sys

import typer.main

from classifier.cli import app

command = typer.main.get_command(app)

sys.modules.setdefault("cli_reference", sys.modules[__name__])
