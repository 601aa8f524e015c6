"""The targets card: the plans' province- and industry-level targets for the current filters."""

from __future__ import annotations

from dash import Input, Output

from callbacks import guarded
from callbacks.page import filters_from
from layers.store import get_store
from layers.targets import filter_targets, target_rows, targets_view


def show_targets(filters_data, lang):
    """The same rows `python app.py export-targets` writes for these filters, each with its quote."""
    store = get_store()
    lang = lang if lang in ("zh", "en") else "zh"
    rows = filter_targets(target_rows(store.dataset), filters_from(filters_data))
    return targets_view(rows, store.vocab, lang)


def register(app) -> None:
    app.callback(Output("targets", "children"), Input("filters", "data"), Input("lang", "data"))(
        guarded(show_targets)
    )
