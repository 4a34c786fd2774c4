"""One page layer: how every notebook builds, grades, shows and publishes its tables.

A :class:`Page` owns the tables of one notebook page. Each table is added once with
its name, its title (a key of :mod:`salto_analysis.labels`), whether the page shows it,
whether it is a headline figure on the briefing's index, the columns the page hides
(they stay in the published table) and how to display it. The page grades each table
once with its :class:`~salto_analysis.policy.Policy` (:func:`graded`), lets the analysis
protect numbers across its tables (:meth:`Page.protect`), and then:

* :meth:`Page.show` displays a table with its title, marks and footnotes, its codes in
  the page's language (:func:`salto_analysis.tables.value_label`);
* :meth:`Page.figure` draws a figure registered with :meth:`Page.add_figure`, or says in
  plain words why it cannot be shown (:meth:`Page.skip` while building, :meth:`Page.not_shown`
  from a draw function);
* :meth:`Page.warning_box` lists every flagged number of the shown tables;
* :meth:`Page.record` hands every table to the yearly briefing in one call.

Tables stay in codes (``"suspects"``, ``"total"``, reason codes ``"D1;P3"``); words are
made only at display, so what is published is the same in every language. A notebook
then reads like a table of contents::

    page = trends.build(trends.select(register, population, year=year), policy)
    page.banner()
    page.warning_box()
    page.heading("trends.heading.headline")
    page.show("level")
    page.figure("series_suspects")
    page.record()

The analysis modules build their page (``trends.build``, ``overlap.build``, ...); a page
with text of its own (sentences made from its numbers) is a subclass with those methods.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import pandas as pd

from salto_analysis import labels, report
from salto_analysis.continuity import carry_forward
from salto_analysis.estimates import has_meta, meta_of, with_meta
from salto_analysis.policy import Policy, SmallSampleWarning

__all__ = ["Entry", "Page", "graded", "DISPLAY_OPTIONS"]

#: Display options a table may carry (see :func:`salto_analysis.tables.display` and
#: :func:`salto_analysis.report.block`).
DISPLAY_OPTIONS = ("digits", "percent", "pivot", "split", "interval")


def graded(table: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, list[str]]:
    """Grade ``table`` with ``policy``: the graded copy and the grading's warning texts.

    The one way the pages grade: the input is never changed
    (:func:`salto_analysis.reliability.grade` returns a copy), and the
    :class:`~salto_analysis.policy.SmallSampleWarning` is caught and returned instead of
    shown, because the page's warning box lists every flagged number (:meth:`Page.warning_box`).
    Other warnings pass through.
    """
    from salto_analysis.reliability import grade

    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (see salto_analysis.params.policy)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SmallSampleWarning)
        out = grade(table, policy)
    messages = []
    for w in caught:
        if issubclass(w.category, SmallSampleWarning):
            messages.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out, messages


@dataclass(frozen=True)
class Entry:
    """One table of a page: the graded table and how the page uses it."""

    name: str
    table: pd.DataFrame
    title: str
    shown: bool = True
    headline: bool = False
    hide: tuple[str, ...] = ()
    display: Mapping = field(default_factory=dict)
    record: bool = True
    record_name: str | None = None


@dataclass(frozen=True)
class _Figure:
    name: str
    draw: Callable
    title: str


class Page:
    """The tables, figures and texts of one notebook page (see the module docstring).

    Parameters
    ----------
    policy
        The small-numbers policy of the page (:func:`salto_analysis.params.policy`); its
        language is the page's language.
    synthetic
        The page is made from the synthetic sample data: it shows the banner, and every
        table and figure says so.
    fields
        Values that titles, headings and notes quote (``{year}``, ``{ages}`` ...).
    """

    def __init__(self, *, policy: Policy, synthetic: bool = False, fields: Mapping | None = None):
        if not isinstance(policy, Policy):
            raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy "
                             "(see salto_analysis.params.policy)")
        if not isinstance(synthetic, bool):
            raise ValueError(f"synthetic={synthetic!r} must be True or False")
        self.policy = policy
        self.synthetic = synthetic
        self.fields: dict = dict(fields or {})
        self._entries: dict[str, Entry] = {}
        self._figures: dict[str, _Figure] = {}
        self._plain: dict[str, tuple[pd.DataFrame, str]] = {}
        self._skipped: dict[str, str] = {}
        self.grading_messages: list[str] = []

    # ------------------------------------------------------------------ building
    @property
    def lang(self) -> str:
        return self.policy.lang

    def text(self, key: str, /, **fields) -> str:
        """The labels text ``key`` in the page's language, with the page's fields and ``fields``."""
        return labels.t(key, self.lang, **{**self.fields, **fields})

    def add(self, name: str, table: pd.DataFrame, *, title: str, shown: bool = True, headline: bool = False,
            hide=(), grade: bool = True, title_fields: Mapping | None = None, record: bool = True,
            record_name: str | None = None, **display) -> pd.DataFrame:
        """Add table ``name``: title it, grade it (unless it is a row subset of a graded table,
        ``grade=False``) and keep it with how the page uses it. Returns the graded table.

        ``title`` is a labels key, formatted with the page's fields and ``title_fields``;
        ``display`` holds options of :data:`DISPLAY_OPTIONS`. ``record=False`` keeps a table
        on the page only (it repeats rows of a recorded one); ``record_name`` is its name in
        the briefing's published files when that differs from ``name``.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"name={name!r} must be a non-empty table name")
        if name in self._entries:
            raise ValueError(f"the page already has a table {name!r}")
        if not has_meta(table):
            raise ValueError(f"table {name!r} is not an estimate table; build it with "
                             "salto_analysis.estimates.estimate_table")
        unknown = set(display) - set(DISPLAY_OPTIONS)
        if unknown:
            raise ValueError(f"table {name!r}: unknown display option(s) {sorted(unknown)}; "
                             f"options are {', '.join(DISPLAY_OPTIONS)}")
        hide = (hide,) if isinstance(hide, str) else tuple(hide)
        missing = [c for c in hide if c not in table.columns]
        if missing:
            raise ValueError(f"table {name!r}: hide={missing} names no column of the table")
        text = self.text(title, **(title_fields or {}))
        meta = meta_of(table)
        table = with_meta(table, title=text, synthetic=bool(meta.synthetic or self.synthetic))
        if grade:
            table, messages = graded(table, self.policy)
            self.grading_messages += messages
        elif not meta.graded:
            raise ValueError(f"table {name!r} has not been graded; add it with grade=True")
        # in a briefing run: what last year's briefing withheld in this table stays withheld
        table = carry_forward(table, record_name or name)
        self._entries[name] = Entry(name, table, text, bool(shown), bool(headline), hide, MappingProxyType(display),
                                    bool(record), record_name)
        self._skipped.pop(name, None)
        return table

    def skip(self, name: str, reason: str | None, /, **fields) -> None:
        """Say that table or figure ``name`` is not computed on this page, and why (labels key
        ``reason``; ``None`` when a neighbouring table already says it): :meth:`show` and
        :meth:`figure` then give that sentence instead."""
        self._skipped[name] = "" if reason is None else self.text(reason, **fields)

    def protect(self, protector: Callable[[dict[str, pd.DataFrame]], Mapping[str, pd.DataFrame]]) -> None:
        """Protect numbers across the page's tables: ``protector`` gets every graded table by
        name and returns those it changed (withholding cells as ``D2``,
        :func:`salto_analysis.disclosure.withhold`); the page keeps the new versions."""
        changed = protector(self.tables())
        for name, table in changed.items():
            if name not in self._entries:
                raise ValueError(f"the protection returned a table {name!r} the page does not have")
            if not meta_of(table).graded:
                raise ValueError(f"the protection returned table {name!r} ungraded")
            old = self._entries[name]
            self._entries[name] = replace(old, table=with_meta(table, title=old.title))

    def arrange(self, names) -> None:
        """Put the tables in the order ``names`` (every table once): the order of the warning box
        and of the briefing's records."""
        names = list(names)
        if sorted(names) != sorted(self._entries):
            raise ValueError(f"arrange() needs every table once: got {names}, the page has {list(self._entries)}")
        self._entries = {n: self._entries[n] for n in names}

    def add_figure(self, name: str, draw: Callable[["Page"], object], *, title: str, **title_fields) -> None:
        """Register figure ``name``: ``draw(page)`` returns the figure; ``title`` is a labels key."""
        if name in self._figures:
            raise ValueError(f"the page already has a figure {name!r}")
        self._figures[name] = _Figure(name, draw, self.text(title, **title_fields))

    def add_plain(self, name: str, frame: pd.DataFrame, *, title: str | None = None, **title_fields) -> None:
        """Register a descriptive frame that is not an estimate table (row accounting, checks);
        ``title`` is a labels key, or ``None`` for a frame without a caption."""
        self._plain[name] = (frame, None if title is None else self.text(title, **title_fields))

    # ------------------------------------------------------------------ reading
    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def skipped(self, name: str) -> str | None:
        """Why ``name`` is not computed on this page (:meth:`skip`), or ``None``."""
        return self._skipped.get(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.entry(name).table

    def entry(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise ValueError(f"name={name!r} is not a table of the page; tables: {', '.join(self._entries)}") from None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every graded table by name, in the order added."""
        return {n: e.table for n, e in self._entries.items()}

    def title(self, name: str) -> str:
        """The title of table, figure or plain frame ``name`` in the page's language."""
        if name in self._entries:
            return self._entries[name].title
        if name in self._figures:
            return self._figures[name].title
        if name in self._plain:
            return self._plain[name][1]
        raise ValueError(f"name={name!r} is not a table, figure or frame of the page")

    def shown(self) -> list[Entry]:
        """The entries the page shows, in order (a table skipped after it was added, :meth:`skip`,
        shows its sentence instead)."""
        return [e for e in self._entries.values() if e.shown and e.name not in self._skipped]

    def __repr__(self) -> str:
        flagged = sum(int((e.table["flag"] != "ok").sum()) for e in self._entries.values())
        return (f"{type(self).__name__}({len(self._entries)} tables, {len(self._figures)} figures, "
                f"{flagged} flagged numbers, lang={self.lang!r})")

    # ------------------------------------------------------------------ showing
    def banner(self) -> report.Block | None:
        """The synthetic-data banner (nothing for real data)."""
        return report.banner(self.synthetic, self.lang)

    def heading(self, key: str, /, depth: int = 2, **fields):
        """A section heading (labels ``key`` with the page's fields) as Markdown ``##``, so that it
        appears in the briefing's table of contents; ``depth`` 1 is the page title."""
        from IPython.display import Markdown

        if depth not in (1, 2, 3, 4):
            raise ValueError(f"depth={depth!r} must be 1, 2, 3 or 4")
        return Markdown("#" * depth + " " + self.text(key, **fields))

    def note(self, key: str, /, **fields):
        """A reading note (labels ``key`` with the page's fields), as Markdown."""
        from IPython.display import Markdown

        return Markdown(self.text(key, **fields))

    def show(self, name: str, *, note: str | None = None, **overrides) -> report.Block:
        """Table ``name`` formatted for the page: title, codes in words, marks, footnotes (or the
        sentence saying why it is not computed, :meth:`skip`)."""
        if name in self._skipped:
            return report.text(self._skipped[name])
        e = self.entry(name)
        options = {**e.display, **overrides}
        hide = list(e.hide) + [h for h in options.pop("hide", ()) if h not in e.hide]
        hide = [h for h in hide if h in e.table.columns]  # a protection may have dropped a hidden column
        return report.block(e.table, title=e.title, lang=self.lang, note=note, hide=hide, anchor=self.anchor(name),
                            **options)

    def show_each(self, names) -> report.Block:
        """Several tables one below the other (an empty block for no names)."""
        blocks = [self.show(n) for n in names]
        return report.Block(html="".join(b.html for b in blocks), text="\n\n".join(b.text for b in blocks))

    def show_plain(self, name: str, note: str | None = None) -> report.Block:
        """A registered plain frame (:meth:`add_plain`) with its title."""
        from salto_analysis import tables

        if name not in self._plain:
            raise ValueError(f"name={name!r} is not a frame of the page; frames: {', '.join(self._plain)}")
        frame, title = self._plain[name]
        view = tables.plain(frame, self.lang, title=title)
        text = view.to_text() + ("\n" + note if note else "")
        html = view.to_html() + (f"<p>{note}</p>" if note else "")
        return report.Block(html=html, text=text)

    def figure(self, name: str):
        """Figure ``name`` drawn from the page's graded tables, or a sentence saying why it is not
        shown (:meth:`skip`). A figure made of several panels (a list) shows them one below the other."""
        if name in self._skipped:
            return report.text(self._skipped[name])
        try:
            spec = self._figures[name]
        except KeyError:
            raise ValueError(f"name={name!r} is not a figure of the page; figures: {', '.join(self._figures)}") from None
        out = spec.draw(self)
        for k, fig in enumerate(out if isinstance(out, list) else [out]):
            if hasattr(fig, "anchor"):
                # "-figure": a table of the same name keeps the plain anchor, so no id is used twice
                fig.anchor = self.anchor(name) + "-figure" + (f"-{k + 1}" if isinstance(out, list) and k else "")
        if isinstance(out, list):
            from IPython.display import display

            for fig in out[:-1]:
                display(fig)
            return out[-1] if out else None
        return out

    def not_shown(self, reason: str, /, **fields) -> report.Block:
        """The sentence (labels key ``reason`` with the page's fields and ``fields``) that says in plain
        words why a figure cannot be drawn from the page's tables: what a draw function returns
        instead of a figure when the data are too few (no rows, or every value withheld).

        :meth:`skip` says the same for a name decided while building the page; this is for a
        draw function, which sees the graded tables."""
        return report.text(self.text(reason, **fields))

    @staticmethod
    def anchor(name: str) -> str:
        """The HTML ``id`` of table ``name`` on its page, for links from the briefing's index (a figure's
        is this with ``-figure`` after it)."""
        return f"salto-{name}"

    def figure_kw(self, name: str) -> dict:
        """The keyword arguments every figure of the page passes to :mod:`salto_analysis.plots`."""
        return {"lang": self.lang, "title": self.title(name), "synthetic": self.synthetic}

    def warning_box(self) -> report.Block:
        """Every uncertain and withheld number of the tables the page shows, with its reason."""
        return report.warning_box(*[(e.title, e.table) for e in self.shown() if len(e.table)], lang=self.lang)

    def flagged(self) -> pd.DataFrame:
        """The flagged numbers of the shown tables as a frame (table, row, flag, reason)."""
        return report.flagged(*[(e.title, e.table) for e in self.shown() if len(e.table)], lang=self.lang)

    # ------------------------------------------------------------------ publishing
    def record(self) -> None:
        """Hand every table of the page to the yearly briefing (:func:`salto_analysis.briefing.record`).

        Outside a briefing run this only checks the tables (no identifiers, no small
        counts shown); it shows nothing.
        """
        from salto_analysis.briefing.records import record

        for e in self._entries.values():
            if e.record:
                record(e.record_name or e.name, e.table, title=e.title, headline=e.headline)
