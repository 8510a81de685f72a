"""A session's profile and its changes: loading the profile into records, and
``set_profile``, ``insert``, ``retract`` and ``update``, each recorded as a delta of the
collection it changes (``p:letters``) for the next propagation (:mod:`.session`)."""

from __future__ import annotations

import datetime as dt

from .._gcpause import paused_gc
from . import profile as P
from .runtime import Rec

_CLEAN: frozenset = frozenset()  # Session.dirty when nothing changed (no set per session)


class ProfileChanges:
    """The profile-changing half of :class:`~.session.Session` (its state lives in the
    session's slots)."""

    __slots__ = ()

    def set_profile(self, data, as_of: dt.date | None = None) -> ProfileChanges:
        if self.pending is not None:
            self._settle()
        shape = self.net.profile_shape or ("rec", ())
        if self.first and not self.root:
            with paused_gc():
                self._load(data, shape, as_of)
            return self
        for name, fshape in shape[1]:
            value = data.get(name)
            if name == "as_of" and as_of is not None:
                value = as_of
            self._set_field(name, fshape, value)
        return self

    def _load(self, data, shape, as_of, handed_over: bool = False) -> None:
        """The first profile of a session: nothing to diff, everything runs in full.
        ``handed_over``: the data is the session's to keep (see ``profile.to_rec``)."""
        root, ids = self.root, self._ids(handed_over)
        for name, fshape in shape[1]:
            value = data.get(name)
            if name == "as_of" and as_of is not None:
                value = as_of
            if fshape[0] == "list":
                items = P.list_field(value, fshape, None, None, name, ids)
                if items is not None:
                    root[name] = items
            elif value is not None:
                root[name] = value if fshape[0] == "val" else P.to_value(value, fshape, None, None, name, ids)
        self.ids = ids.next

    def _ids(self, handed_over: bool = False) -> P.Ids:
        """A source of record identities from the next unused one; the caller stores its
        ``next`` back in ``self.ids`` (an int: a session keeps no source)."""
        return P.Ids(self.ids, handed_over)

    def _live(self) -> dict:
        """The records of the profile's lists by identity, made when the profile first
        changes (a session that only runs once never needs it)."""
        live = self.live
        if live is None:
            live = self.live = {}
            for name, fshape in (self.net.profile_shape or ("rec", ()))[1]:
                if fshape[0] == "list":
                    for rec in self.root.get(name) or ():
                        if type(rec) is Rec:
                            live[rec.k] = rec
        return live

    def _set_field(self, name: str, fshape, value) -> None:
        old = self.root.get(name)
        coll = "p:" + name
        live = self._live()
        if fshape[0] == "list":
            for rec in old or []:
                if isinstance(rec, Rec):
                    live.pop(rec.k, None)
                    self._change(coll, removed=rec.k)
            ids = self._ids()
            new = P.list_field(value, fshape, None, None, name, ids)
            self.ids = ids.next
            if new is None:  # an optional list left out: missing
                self.root.pop(name, None)
                self._change(coll)
                return
            self.root[name] = new
            for rec in new:
                if isinstance(rec, Rec):
                    live[rec.k] = rec
                    self._change(coll, added=rec)
            if not new or not isinstance(new[0], Rec):
                self._change(coll)
        else:
            if value is None:
                self.root.pop(name, None)
            else:
                ids = self._ids()
                self.root[name] = P.to_value(value, fshape, None, None, name, ids)
                self.ids = ids.next
            self._change(coll)

    def insert(self, field: str, item) -> str:
        """Append ``item`` to the profile list ``field``; returns its ``$.path``."""
        fshape = self._list_shape(field)
        if self.pending is not None:
            self._settle()
        live = self._live()
        lst = self.root.setdefault(field, [])
        ids = self._ids()
        rec = P.to_item(item, fshape[1], lst, field, len(lst), ids)
        self.ids = ids.next
        lst.append(rec)
        if isinstance(rec, Rec):
            live[rec.k] = rec
            self._change("p:" + field, added=rec)
            return rec.path()
        self._change("p:" + field)
        return f"$.{field}[{len(lst) - 1}]"

    def retract(self, path: str) -> None:
        """Remove the list element at ``path`` (``$.letters[3]``); later elements move up."""
        field, i = _parse_item_path(path)
        lst = self.root.get(field)
        if not isinstance(lst, list) or not 0 <= i < len(lst):
            raise KeyError(f"{path}: no such element")
        if self.pending is not None:
            self._settle()
        live = self._live()
        rec = lst.pop(i)
        if i < len(lst):
            self.epoch += 1  # later elements move up: their paths change
            if type(lst[i]) is Rec:  # then all are, sharing the list's place
                lst[i].at.moved_up(lst, i)
        if isinstance(rec, Rec):
            rec.at.drop(rec.k)
            live.pop(rec.k, None)
            self._change("p:" + field, removed=rec.k)
        else:
            self._change("p:" + field)

    def update(self, path: str, value) -> None:
        """Replace a list element (``$.letters[3]``) or a top-level field (``$.applicant``)."""
        if self.pending is not None:
            self._settle()
        if "[" in path:
            field, i = _parse_item_path(path)
            lst = self.root.get(field)
            if not isinstance(lst, list) or not 0 <= i < len(lst):
                raise KeyError(f"{path}: no such element")
            fshape = self._list_shape(field)
            live = self._live()
            old = lst[i]
            ids = self._ids()
            rec = P.to_item(value, fshape[1], lst, field, i, ids)
            self.ids = ids.next
            lst[i] = rec
            if isinstance(old, Rec):
                old.at.drop(old.k)
                live.pop(old.k, None)
                self._change("p:" + field, removed=old.k)
            if isinstance(rec, Rec):
                live[rec.k] = rec
                self._change("p:" + field, added=rec)
            elif not isinstance(old, Rec):  # a plain value (or a list): the list changed
                self._change("p:" + field)
            return
        name = path[2:] if path.startswith("$.") else path
        shape = self.net.profile_shape or ("rec", ())
        fshape = P.field_shape(shape, name)
        if fshape is None:
            raise KeyError(f"{path}: the profile has no field {name!r}")
        self._set_field(name, fshape, value)

    def _list_shape(self, field: str):
        fshape = P.field_shape(self.net.profile_shape or ("rec", ()), field)
        if fshape is None or fshape[0] != "list":
            raise KeyError(f"$.{field}: not a list field of the profile")
        return fshape

    def _settle(self) -> None:
        """Build the last returned results now: the state they read is about to change."""
        pending = self.pending() if self.pending is not None else None
        self.pending = None
        if pending is not None:
            pending.materialise()

    def _change(self, coll: str, added=None, removed=None) -> None:
        if self.first:  # the first run evaluates everything: no deltas to record
            if self.idx:
                for key in [k for k in self.idx if k[0] == coll]:
                    del self.idx[key]
            for i in self.let_inv.get(coll, ()):
                self.lets.pop(i, None)
            return
        if self.dirty is _CLEAN:
            self.dirty = set()
        self.dirty.add(coll)
        if added is not None or removed is not None:
            d = self.delta.get(coll)
            if d is None:
                d = self.delta[coll] = ([], [])
            if added is not None:
                d[0].append(added)
            if removed is not None:
                d[1].append(removed)
        if self.idx:
            for key in [k for k in self.idx if k[0] == coll]:
                del self.idx[key]
        for i in self.let_inv.get(coll, ()):
            self.lets.pop(i, None)


def _parse_item_path(path: str) -> tuple[str, int]:
    body = path[2:] if path.startswith("$.") else path
    name, _, rest = body.partition("[")
    try:
        return name, int(rest.rstrip("]"))
    except ValueError:
        raise KeyError(f"{path}: expected a list element path like $.letters[0]") from None
