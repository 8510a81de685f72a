"""An evaluation as one self-contained HTML page: inline CSS, no scripts, no fetches.

Every string that comes from a profile or a pack passes through :func:`esc`; the page
prints cleanly (print CSS drops colours' backgrounds to borders and avoids split items).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from . import _common as c

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
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: .35rem 0; border-bottom: 1px dotted var(--line); break-inside: avoid; }
.why { color: var(--muted); font-size: .9em; display: block; margin-left: 5.5rem; }
.badge { display: inline-block; min-width: 5rem; font-size: .75rem; font-weight: 600;
  text-transform: uppercase; letter-spacing: .03em; padding: .05rem .4rem; margin-right: .5rem;
  border-radius: .25rem; color: #fff; background: var(--past); text-align: center; }
.s-overdue, .s-critical, .s-high, .l-concerning { background: var(--overdue); }
.s-due, .s-medium, .l-borderline { background: var(--due); }
.s-done, .l-competitive { background: var(--done); }
.s-upcoming, .s-low, .s-tip { background: var(--upcoming); }
.s-active, .s-remind { background: var(--active); }
.s-past, .s-info, .s-needsinfo { background: var(--past); }
code { font-size: .85em; }
section.result + section.result { border-top: 3px double var(--line); margin-top: 2rem; }
.here { outline: 2px solid var(--ink); }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .badge { color: var(--ink); background: none !important; border: 1px solid var(--ink); }
  section.result { break-before: page; } section.result:first-of-type { break-before: auto; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(value: Any) -> str:
    """Text for HTML element content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _cls(value: Any) -> str:
    """A CSS class suffix from a status word: only safe characters survive."""
    return "".join(ch for ch in str(value) if ch.isascii() and (ch.isalnum() or ch in "_-"))


_DOT = " \u00b7 "


def badge(word: Any) -> str:
    return f'<span class="badge s-{_cls(word)}">{esc(word)}</span>'


def page(title: str, body: str, css: str = CSS) -> str:
    """A complete HTML document around ``body`` (already escaped markup)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")


def _item(finding: Mapping[str, Any], profile: Mapping | None = None) -> str:
    text = esc(c.finding_title(finding))
    if c.when_text(finding):
        text += f" <small>{esc(c.when_text(finding).strip())}</small>"
    extras = []
    why = c.because(finding, profile)
    if why:
        extras.append(f"because {esc(why)}")
    cite = c.cite_text(finding)
    if cite:
        extras.append(f"see <cite>{esc(cite)}</cite>")
    if finding.get("rule"):
        extras.append(f"<code>{esc(finding['rule'])}</code>")
    where = c.where_text(finding)
    if where:
        extras.append(f"<code>{esc(where)}</code>")
    why_html = f'<span class="why">{_DOT.join(extras)}</span>' if extras else ""
    return f"<li>{badge(c.status_label(finding))}{text}{why_html}</li>"


def render_result(result: Mapping[str, Any], label: str = "", level: int = 1,
                  profile: Mapping | None = None) -> str:
    """The body of one evaluation, a ``<section>``."""
    h, h2 = f"h{level}", f"h{min(level + 1, 6)}"
    k = result.get("months_to_go")
    where = f"{c.month_label(k)} ({c.phase_name(k)})" if isinstance(k, int) else "unknown"
    title = f"{esc(label)}: " if label else ""
    out = ['<section class="result">', f"<{h}>{title}You are at {esc(where)}</{h}>",
           f'<p class="meta">As of {esc(result.get("as_of", "?"))} \u00b7 application date '
           f'{esc(result.get("application_date", "?"))} \u00b7 months to go {esc(k)} \u00b7 packs '
           f'{esc(c.pack_names(result))}</p>']
    rows = c.tiers(result)
    if rows:
        out += [f"<{h2}>Tiers</{h2}>", "<table><thead><tr><th>component</th><th>level</th></tr>"
                "</thead><tbody>"]
        out += [f'<tr><td>{esc(comp)}</td><td><span class="badge l-{_cls(lvl)}">{esc(lvl)}'
                f"</span></td></tr>" for comp, lvl in rows]
        out.append("</tbody></table>")
    others = c.other_derived(result)
    if others:
        out += [f"<{h2}>Derived</{h2}>", "<ul>"]
        out += [f"<li>{esc(c.derived_label(fact))}</li>" for fact in others]
        out.append("</ul>")
    sec = c.sections(result)
    for heading, items in c.headed(sec):
        if items:
            out += [f"<{h2}>{esc(heading)}</{h2}>", '<ul class="findings">']
            out += [_item(f, profile) for f in items]
            out.append("</ul>")
    if not result.get("findings"):
        out.append("<p>Nothing to report.</p>")
    out.append("</section>")
    return "\n".join(out)


def render(results: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    items = c.labelled(results)
    if len(items) == 1:
        body = render_result(items[0][1], profile=items[0][2])
        title = "imgrules evaluation"
    else:
        body = "\n".join(render_result(result, label, level=2, profile=p)
                         for label, result, p in items)
        body = f"<h1>Evaluation of {len(items)} profiles</h1>\n{body}"
        title = f"imgrules evaluation of {len(items)} profiles"
    return page(title, body)
