"""Dash wiring only: each module's `register(app)` attaches its callbacks to one app.

The callbacks are plain module-level functions (tests call them directly); they
read the store, call the pure functions in layers/, and return named groups.
Registration is per app, so every `create_app()` gets a complete app.
"""

from __future__ import annotations

import functools

from dash.exceptions import PreventUpdate


class CallbackFailed(RuntimeError):
    """A callback raised: a server bug (answered 500 and logged), not a bad request."""

    def __init__(self, name: str):
        self.callback = name
        super().__init__(f"callback {name} failed")


def guarded(fn):
    """Mark exceptions raised inside a callback as server bugs (see app.create_app's error handler)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PreventUpdate:
            raise
        except Exception as e:
            raise CallbackFailed(fn.__name__) from e

    return run


def register_all(app) -> None:
    from callbacks import compare, details, export, map, page, present, reader, table, targets

    for module in (page, map, details, table, export, present, compare, targets, reader):
        module.register(app)
