"""An evaluation as one self-contained HTML page: inline CSS, no scripts, no fetches.

Every string that comes from a profile or a pack passes through :func:`esc`; the page
prints cleanly (print CSS drops colours' backgrounds to borders and avoids split items).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from ..safetext import escape_controls
from . import _common as c
from . import report, words

CSS = """
:root { --overdue:#b42318; --due:#b54708; --done:#067647; --upcoming:#175cd3;
  --active:#6941c6; --past:#667085; --ink:#101828; --muted:#475467; --line:#d0d5dd; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
body { overflow-wrap: anywhere; }
ul.findings, ul.asks { list-style: none; padding: 0; margin: 0; }
ol.findings { padding-left: 1.6rem; margin: 0; }
.findings li, ul.asks li { padding: .35rem 0; border-bottom: 1px dotted var(--line); break-inside: avoid; }
.why { color: var(--muted); font-size: .9em; display: block; margin-left: 5.5rem; }
.badge { display: inline-block; min-width: 5rem; font-size: .75rem; font-weight: 600;
  text-transform: uppercase; letter-spacing: .03em; padding: .05rem .4rem; margin-right: .5rem;
  border-radius: .25rem; color: #fff; background: var(--past); text-align: center;
  white-space: nowrap; overflow-wrap: normal; }
.s-overdue, .s-critical, .s-high, .l-concerning { background: var(--overdue); }
.s-due, .s-medium, .l-borderline { background: var(--due); }
.s-done, .l-competitive { background: var(--done); }
.s-upcoming, .s-low, .s-tip { background: var(--upcoming); }
.s-active, .s-remind, .s-now { background: var(--active); }
.s-past, .s-info, .s-needsinfo, .s-needs_info { background: var(--past); }
code { font-size: .85em; }
section.result + section.result { border-top: 3px double var(--line); margin-top: 2rem; }
.here { outline: 2px solid var(--ink); }
@media (max-width: 40rem) {
  body { margin: 1rem auto; font-size: 16px; }
  .why { margin-left: 0; }
  .badge { min-width: 0; }
}
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  .badge { color: var(--ink); background: none !important; border: 1px solid var(--ink); }
  section.result { break-before: page; } section.result:first-of-type { break-before: auto; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(value: Any) -> str:
    """Text for HTML element content or a quoted attribute; control characters shown
    escaped (``\\x1b``, ``\\u202e``): a document must not read otherwise than it is."""
    return html.escape(escape_controls(str(value), keep="\n"), quote=True)


def _cls(value: Any) -> str:
    """A CSS class suffix from a status word: only safe characters survive."""
    return "".join(ch for ch in str(value) if ch.isascii() and (ch.isalnum() or ch in "_-"))


_DOT = " \u00b7 "


def badge(word: Any, key: Any = None) -> str:
    """A status tag; ``key`` (default the word) picks its colour."""
    return f'<span class="badge s-{_cls(key or word)}">{esc(word)}</span>'


def page(title: str, body: str, css: str = CSS) -> str:
    """A complete HTML document around ``body`` (already escaped markup)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")


def _entry(entry: report.Entry, view: str, full: bool, profile: Mapping | None = None,
           top: bool = False) -> str:
    text = esc(entry.title(view))
    when = entry.when or ("now" if top and entry.kind == "flag" else "")
    if when:
        text += f" <small>({esc(when)})</small>"
    extras = []
    message = entry.message(view)
    if full and message and message != entry.title(view):
        extras.append(esc(message))
    if view == "advisor":
        why = c.because(entry.finding, profile)
        if why:
            extras.append(f"because {esc(why)}")
    if (full or view == "advisor") and c.cite_text(entry.finding):
        extras.append(f"see <cite>{esc(c.cite_text(entry.finding))}</cite>")
    if view == "advisor":
        where = words.location(entry.finding.get("provenance"))
        extras.append(f"<code>{esc(entry.rule)}</code>"
                      + (f" <code>{esc(where)}</code>" if where else ""))
    why_html = f'<span class="why">{_DOT.join(extras)}</span>' if extras else ""
    key = entry.status if entry.kind in ("milestone", "window") else entry.tag
    return f'<li>{badge(entry.tag, key)}{text}{why_html}</li>'


def render_result(result: Mapping[str, Any], label: str = "", level: int = 1,
                  profile: Mapping | None = None, view: str = "applicant",
                  full: bool = False) -> str:
    """The body of one evaluation, a ``<section>``, in the order of
    :mod:`imgrules.render.report`."""
    rep = report.build(result, profile, label=label, view=view, full=full)
    h, h2 = f"h{level}", f"h{min(level + 1, 6)}"
    title = f"{esc(label)}: " if label else ""
    meta = f"{rep.left} (as of {rep.as_of})" + (f"; packs: {rep.packs}" if view == "advisor"
                                                else "")
    out = ['<section class="result">', f"<{h}>{title}You are at {esc(rep.where)}</{h}>",
           f'<p class="meta">{esc(meta)}</p>']
    if rep.empty:
        return "\n".join(out + ["<p>Nothing to report.</p>", "</section>"])
    if rep.top:
        out += [f'<{h2}>This month: the few things to do</{h2}>', '<ol class="findings top">']
        out += [_entry(e, view, full, profile, top=True) for e in rep.top]
        out.append("</ol>")
    if rep.tiers or rep.diagnoses or rep.progress or rep.derived:
        out.append(f"<{h2}>Where you stand</{h2}>")
    if rep.tiers:
        out.append('<table class="tiers"><tbody>')
        out += [f'<tr><th scope="row">{esc(name)}</th><td><span class="badge l-{_cls(lvl)}">'
                f"{esc(lvl)}</span></td></tr>" for name, lvl in rep.tiers]
        out.append("</tbody></table>")
    if rep.diagnoses:
        out.append(f"<p>Diagnosis: {esc(', '.join(rep.diagnoses))}</p>")
    if rep.progress:
        out.append(f"<p>{esc(f'{rep.phase}; {rep.progress}' if rep.phase else rep.progress)}</p>")
    if rep.derived:
        out.append("<ul>" + "".join(f"<li><code>{esc(d)}</code></li>" for d in rep.derived)
                   + "</ul>")
    for topic in rep.topics:
        out += [f"<{h2}>{esc(topic.name)}</{h2}>", '<ul class="findings">']
        out += [_entry(e, view, full, profile) for e in topic.entries]
        if topic.hidden:
            out.append(f'<li class="more">\u2026 and {topic.hidden} more</li>')
        out.append("</ul>")
    if full and rep.done:
        out.append(f"<{h2}>Done</{h2}>")
        if view == "advisor":
            out += ['<ul class="findings">'] + [_entry(e, view, False, profile)
                                                for e in rep.done] + ["</ul>"]
        else:
            out.append("<p>" + esc("; ".join(e.title(view) for e in rep.done)) + "</p>")
    if rep.asks:
        out += [f"<{h2}>Tell us: facts to record</{h2}>", '<ul class="asks">']
        for ask in rep.asks:
            extra = ""
            if full and ask.checks:
                extra += '<span class="why">for: ' + esc("; ".join(ask.checks)) + "</span>"
            if view == "advisor":
                extra += ('<span class="why">' + ", ".join(f"<code>{esc(p)}</code>"
                                                         for p in ask.paths)
                          + " (" + ", ".join(f"<code>{esc(r)}</code>" for r in ask.rules)
                          + ")</span>")
            out.append(f"<li>{esc(ask.text)}{extra}</li>")
        if rep.asks_hidden:
            out.append(f'<li class="more">\u2026 and {rep.asks_hidden} more</li>')
        out.append("</ul>")
    if rep.shortened:
        out.append('<p class="meta">Shortened: run with <code>--all</code> to see everything.</p>')
    out.append("</section>")
    return "\n".join(out)


def render(results: Iterable[tuple[str, Mapping[str, Any]]], view: str = "applicant",
           full: bool = False) -> str:
    items = c.labelled(results)
    if len(items) == 1:
        body = render_result(items[0][1], profile=items[0][2], view=view, full=full)
        title = "imgrules evaluation"
    else:
        body = "\n".join(render_result(result, label, level=2, profile=p, view=view, full=full)
                         for label, result, p in items)
        body = f"<h1>Evaluation of {len(items)} profiles</h1>\n{body}"
        title = f"imgrules evaluation of {len(items)} profiles"
    return page(title, body)
