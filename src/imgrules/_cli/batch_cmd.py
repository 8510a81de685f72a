"""``imgrules batch INPUT...``: evaluate a cohort of profiles, one JSON line each.

Argument parsing and output only: the work is :mod:`imgrules.batch` (a local process
pool, or Dask with ``--dask``). Results stream out in input order as they come; a bad
profile is an error record and the run goes on (exit 1 at the end).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys

import click

from .options import Choice, Evaluator, OneLineCommand, fail, parse_as_of

NAME = "batch"
SUMMARY_FORMATS = ("text", "markdown", "html")


def _choice(pack: str | None, day):
    """The PackChoice: ``--pack`` for all, else the shipped pack of each track. Pack
    errors are reported the way ``eval`` reports them."""
    from ..batch.model import FALLBACK_PACK, TRACK_PACKS, PackChoice

    evaluator = Evaluator(NAME, pack, day)
    if pack:
        return PackChoice(fixed=evaluator.compiled(pack))
    names = sorted({*TRACK_PACKS.values(), FALLBACK_PACK})
    return PackChoice(by_name={name: evaluator.compiled(name) for name in names})


def partial_path(out: str) -> str:
    """Where a run that a killed worker stopped keeps the lines it wrote (``--resume``):
    beside the file ``--out`` names (beside the file a link points to)."""
    return (os.path.realpath(out) if os.path.islink(out) else out) + ".partial"


@contextlib.contextmanager
def _sink(out: str | None):
    """Where the lines go: ``--out`` written atomically to ``OUT.partial`` (only a complete
    run then replaces OUT; a run stopped by a killed worker keeps what it wrote there for
    ``--resume``), or stdout as UTF-8."""
    if out is None:
        stream = sys.stdout
        if (stream.encoding or "").lower().replace("-", "") != "utf8" and hasattr(stream, "buffer"):
            stream.flush()
            stream = io.TextIOWrapper(stream.buffer, encoding="utf-8", newline="")
            yield stream
            stream.flush()
            stream.detach()  # leave sys.stdout's buffer open
            return
        yield stream
        stream.flush()
        return
    from ..batch.output import atomic_lines

    try:
        with atomic_lines(partial_path(out)) as handle:
            yield handle
    except OSError as exc:
        fail(NAME, f"--out: cannot write {out}: {exc.strerror or exc}")


def _resumed(out: str | None, dask: str | None) -> list[str]:
    """The complete lines of ``OUT.partial`` that ``--resume`` keeps (a cut last line is
    evaluated again)."""
    if out is None:
        fail(NAME, "--resume: needs --out FILE (the run to resume wrote FILE.partial)")
    if dask is not None:
        fail(NAME, "--resume: works with the local pool only (not with --dask)")
    try:
        with open(partial_path(out), encoding="utf-8", newline="") as handle:
            lines = handle.readlines()
    except FileNotFoundError:
        fail(NAME, f"--resume: there is no {partial_path(out)} to resume from")
    except OSError as exc:
        fail(NAME, f"--resume: cannot read {partial_path(out)}: {exc.strerror or exc}")
    return [line for line in lines if line.endswith("\n")]


@contextlib.contextmanager
def _results(choice, items, jobs: int, day, dask: str | None, skip: int = 0):
    """Encoded results from the local pool or from Dask."""
    from ..batch.run import run_local

    if dask is None:
        yield run_local(choice, items, jobs=jobs, as_of=day, encode=True, skip=skip)
        return
    from ..batch.on_dask import DaskMissing, open_client, run_dask

    with contextlib.ExitStack() as stack:
        try:
            client = stack.enter_context(open_client(dask, jobs))
        except DaskMissing as exc:
            fail(NAME, f"--dask: {exc}")
        except (OSError, TimeoutError) as exc:
            fail(NAME, f"--dask: cannot reach the scheduler at {dask}: {exc}")
        yield run_dask(choice, items, client, as_of=day, encode=True)


@click.command(cls=OneLineCommand, name=NAME)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--pack", metavar="P", default=None,
              help="A pack file, folder or shipped name; default: the shipped pack for each "
                   "profile's track.")
@click.option("--jobs", "-j", metavar="N", type=int, default=None,
              help="Worker processes (default: the number of CPUs; 1 runs in this process).")
@click.option("--out", metavar="FILE", default=None,
              help="Write the JSON Lines to FILE (atomically) instead of stdout.")
@click.option("--summary", metavar="FILE", default=None,
              help="Also write a cohort summary to FILE.")
@click.option("--summary-format", "summary_format", type=Choice(SUMMARY_FORMATS),
              default="text", help="text, markdown or html (self-contained, with charts).")
@click.option("--as-of", "as_of", metavar="DATE", default=None,
              help="Evaluate as of this day (YYYY-MM-DD) instead of each profile's as_of.")
@click.option("--dask", metavar="ADDRESS|local", default=None,
              help="Run on Dask: a scheduler address, or 'local' for a LocalCluster of "
                   "--jobs processes (needs imgrules[dask]).")
@click.option("--resume", is_flag=True,
              help="Continue a run a killed worker stopped: keep the lines in --out FILE.partial "
                   "and evaluate only the profiles after them.")
def command(inputs: tuple[str, ...], pack: str | None, jobs: int | None, out: str | None,
            summary: str | None, summary_format: str, as_of: str | None,
            dask: str | None, resume: bool) -> None:
    """Evaluate a cohort: every profile in INPUT (folders, globs, profile files, JSON
    Lines files with one profile per line, or - for JSON Lines on stdin), one JSON line
    per profile in input order, tagged with its applicant id and source.

    Exit status: 0 all evaluated, 1 a profile failed (its line is an error record) or a
    worker process was killed (the lines written so far are kept in --out FILE.partial:
    run again with --resume), 2 usage or I/O error.
    """
    from ..batch.inputs import InputError, plan_inputs
    from ..batch.summary import CohortSummary

    day = parse_as_of(NAME, as_of)
    if jobs is not None and jobs < 1:
        fail(NAME, f"--jobs: must be at least 1, got {jobs}")
    jobs = jobs or os.cpu_count() or 1
    try:
        planned = plan_inputs(inputs)
    except InputError as exc:
        fail(NAME, str(exc))
    choice = _choice(pack, day)
    cohort = CohortSummary() if summary else None
    stderr = sys.stderr
    progress = None
    if stderr.isatty():
        from ..batch.output import Progress

        progress = Progress(stderr, planned.count())
    from ..batch.run import WorkerKilled

    kept = _resumed(out, dask) if resume else []
    failed = internal = written = 0
    killed = None
    stdin = getattr(sys.stdin, "buffer", None)
    with _sink(out) as sink, _results(choice, planned.items(stdin), jobs, day, dask, len(kept)) as results:
        for line in kept:
            sink.write(line)
            failed, internal = _count_kept(line, failed, internal, cohort, written)
            written += 1
        try:
            for enc in results:
                written += 1
                sink.write(enc.line)
                failed += enc.failed
                internal += enc.internal
                if cohort is not None:
                    cohort.add(enc.index, enc.id, enc.source, enc.digest, enc.error)
                if progress is not None:
                    progress.update(enc.failed)
        except WorkerKilled as exc:  # the lines before it are written (and kept)
            killed = exc
        except OSError as exc:  # an input that vanished or broke while being read
            if isinstance(exc, BrokenPipeError):
                raise
            fail(NAME, f"cannot read the input: {exc}")
    if progress is not None:
        progress.close()
    if killed is not None:
        kept_where = (f"the {written:,} profiles before them are kept in {partial_path(out)}; "
                      "re-run with --resume" if out is not None else
                      f"the {written:,} profiles before them were written; re-run with --out FILE "
                      "to be able to --resume")
        fail(NAME, f"{killed}; {kept_where}", code=1)
    if out is not None:
        _finish(out)
    if cohort is not None:
        _write_summary(cohort, summary, summary_format)
    if failed:
        click.echo(f"imgrules {NAME}: {failed} profile{'s' if failed != 1 else ''} could not "
                   "be evaluated (see the error records)", err=True)
    if internal:
        raise click.exceptions.Exit(70)
    if failed:
        raise click.exceptions.Exit(1)


def _count_kept(line: str, failed: int, internal: int, cohort, index: int) -> tuple[int, int]:
    """Count a line kept from the run being resumed as if it had just been evaluated."""
    import json

    from ..batch.summary import digest

    try:
        record = json.loads(line)
    except ValueError:
        fail(NAME, f"--resume: the partial output holds a line that is not JSON (line {index + 1})")
    error = record.get("error") if isinstance(record, dict) else None
    if cohort is not None:
        cohort.add(index, record.get("id"), record.get("source"),
                   None if error else digest(record), error)
    return failed + bool(error), internal + bool(isinstance(error, dict) and error.get("internal"))


def _finish(out: str) -> None:
    """A complete run: OUT.partial becomes OUT (the file a link points to keeps the link;
    an existing file's permission bits are kept)."""
    target = os.path.realpath(out)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(partial_path(out), stat.S_IMODE(os.stat(target).st_mode))
        os.replace(partial_path(out), target)
    except OSError as exc:
        fail(NAME, f"--out: cannot write {out}: {exc.strerror or exc}")


def _write_summary(cohort, path: str, fmt: str) -> None:
    from ..batch.report import render
    from .._fsutil import atomic_write_text

    try:
        atomic_write_text(path, render(cohort, fmt))
    except OSError as exc:
        fail(NAME, f"--summary: cannot write {path}: {exc.strerror or exc}")
