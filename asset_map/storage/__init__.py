"""The database layer: the workspace layers, residents' talents, accounts and the audit log.

SQLite by default (one file in the instance folder of :func:`asset_map.settings.instance_dir`,
the same for the app and every command), PostgreSQL when a URL says so::

    store = Store()                                   # <instance folder>/asset_map.sqlite
    store = Store("postgresql://map@db.example/map")  # or ASSET_MAP_DATABASE_URL

Opening a store brings the schema up to date (Alembic migrations shipped with the package).
Text is stored verbatim, always through bound parameters; it is escaped where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from asset_map.rules.auth import User
from asset_map.rules.concurrent_edits import Editable, StaleEdit
from asset_map.rules.submissions import SubmissionRefused
from asset_map.settings import SubmissionLimits
from asset_map.storage import activities as _activities
from asset_map.storage import audit as _audit
from asset_map.storage import edits as _edits
from asset_map.storage import layers as _layers
from asset_map.storage import talents as _talents
from asset_map.storage import users as _users
from asset_map.storage.db import Database, default_url, resolve_url
from asset_map.storage.edits import NotFound
from asset_map.storage.layers import NoWorkspace, WorkspaceChanged
from asset_map.storage.talents import (
    Receipt,
    StatusError,
    TalentNotFound,
    TalentSubmission,
)

__all__ = [
    "Editable",
    "NoWorkspace",
    "NotFound",
    "Receipt",
    "StaleEdit",
    "StatusError",
    "Store",
    "SubmissionRefused",
    "TalentNotFound",
    "TalentSubmission",
    "WorkspaceChanged",
    "default_url",
]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """One database of talents, accounts and audit entries.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL (``sqlite:///path`` or ``postgresql://...``). When None, the
        environment variable ``ASSET_MAP_DATABASE_URL``, else the default SQLite file in
        ``instance_dir``.
    instance_dir : Path, optional
        Folder of the default SQLite file; when None the instance folder of
        :func:`asset_map.settings.instance_dir`. Created if missing.
    clock : callable, optional
        Returns the current time (aware); for tests. UTC now when None.

    Attributes
    ----------
    url : str
        The URL with any password masked.
    dialect : str
        ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        instance_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        must_exist: bool = False,
    ):
        self._db = Database(resolve_url(url, instance_dir), must_exist=must_exist)
        self._now = clock or _utcnow
        self.url = self._db.url
        self.dialect = self._db.dialect
        try:
            self._db.migrate()
        except BaseException:
            self._db.dispose()
            raise

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connections."""
        self._db.dispose()

    # --- workspace layers ------------------------------------------------------------------

    def save_workspace(
        self,
        areas: gpd.GeoDataFrame,
        assets: gpd.GeoDataFrame,
        *,
        meta: dict[str, Any],
        actor: str,
        activities: pd.DataFrame | None = None,
        needs: pd.DataFrame | None = None,
        expected_version: str | None = None,
    ) -> None:
        """Replace the stored workspace with these layers, in one transaction.

        All or nothing: when anything fails, the workspace stored before stays exactly as it
        was, and readers see either the old workspace or the new one, never a mix.

        Parameters
        ----------
        areas : GeoDataFrame
            ``model.AREA_COLUMNS``, in any CRS (stored in EPSG:4326). Other columns are
            ignored.
        assets : GeoDataFrame
            ``model.ASSET_COLUMNS``, likewise (``buurt_code``, ``wijk_code`` are not stored).
        meta : dict
            JSON-able facts about the workspace (``name``, ``is_demo``, ``label_nl``,
            ``label_en``, ``sources``: a list of ``{name, licence, year}``, ...), stored as
            is; tuples come back as lists.
        actor : str
            Who saves; the audit log records the counts and the source names.
        activities : DataFrame, optional
            ``model.ACTIVITY_COLUMNS`` (``id`` may be missing): they replace the stored
            activities. When None, the stored ones stay, except those whose asset is not in
            ``assets``: they are deleted (and so are such place needs), with audit counts.
        needs : DataFrame, optional
            ``model.PLACE_NEED_COLUMNS``: they replace the stored place needs.
        expected_version : str, optional
            :meth:`workspace_version` when the layers were read (``""``: none was saved).
            When the workspace changed since (an edit, another save), the save is refused:
            it would write the old rows back over that change.

        Raises
        ------
        WorkspaceChanged
            With ``expected_version``, when the workspace is at another version now.
        CRSError
            When a frame has no CRS.
        SchemaError
            Naming every problem at once: a canonical column missing, a code or id missing
            or given twice, a key figure or capacity that is not a number, a NUL character
            in text, or ``meta`` that is not a JSON-able dict; for ``activities`` and
            ``needs``, every bad field and any asset id not in ``assets``.
        """
        _layers.save(
            self._db,
            areas,
            assets,
            meta=meta,
            actor=actor,
            now=self._now(),
            activity_rows=None if activities is None else _activities.activity_rows(activities),
            need_rows=None if needs is None else _activities.need_rows(needs),
            expected_version=expected_version,
        )

    def load_workspace(
        self,
    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, Any]] | None:
        """Return the stored workspace as ``(areas, assets, meta)``, or None if none was saved.

        The frames have exactly the canonical columns, in the order the rows were saved,
        with the dtypes the readers (``asset_map.io.read_areas``, ``read_assets``) give: text
        as ``str``, key figures and capacity as ``float64`` with NaN where missing, geometry
        in EPSG:4326 (an area saved without a shape comes back with the same empty polygon).
        """
        return _layers.load(self._db)

    def has_workspace(self) -> bool:
        """Return whether a workspace was ever saved."""
        return self.workspace_version() != ""

    def workspace_version(self) -> str:
        """Return a text that changes with every save and edit, ``""`` when none was saved.

        Edits of assets, activities and place needs change it too (connections do not).

        Cheap (one row): use it as the cache key of :meth:`load_workspace`.
        """
        return _layers.version(self._db)

    # --- single assets (the planner's workbench) -------------------------------------------

    def add_asset(self, asset: Mapping[str, Any], *, actor: str) -> str:
        """Add one asset to the stored workspace; return its id.

        Parameters
        ----------
        asset : mapping
            ``name`` (required), ``type`` (a ``catalogue().types`` key, required), ``lon``,
            ``lat`` (WGS84, required, inside the Netherlands), ``description``, ``address``,
            ``tags`` (``;``-joined text or a list), ``source`` (default ``"Eigen invoer"``),
            ``status`` (``"existing"``, the default, or ``"planned"``), ``capacity`` (a
            number >= 0 or None), ``id`` (made as ``asset-`` and 12 hex characters when
            missing). ``buurt_code`` and ``wijk_code`` are ignored (they are derived).
        actor : str
            Who adds; the audit log names the fields given.

        Raises
        ------
        SchemaError
            Naming every bad field (also an unknown field, and an id that is taken).
        NoWorkspace
            When no workspace was saved yet.
        """
        return _edits.add(self._db, asset, actor=actor, now=self._now())

    def editable_asset(self, asset_id: str) -> Editable:
        """Return an asset's version and fields, as an edit form starts from them.

        ``values`` has the keys of :meth:`add_asset` but ``id`` (``lon``/``lat`` of its
        point, ``tags`` ``;``-joined, ``capacity`` a float or None).

        Raises
        ------
        NotFound
            For an unknown asset id.
        """
        return _edits.editable(self._db, asset_id)

    def update_asset(
        self,
        asset_id: str,
        changes: Mapping[str, Any],
        *,
        actor: str,
        base: Editable | None = None,
    ) -> None:
        """Change the given fields of an asset (same keys as :meth:`add_asset`).

        ``lon`` and ``lat`` come together; the id cannot change (``id`` may be given as the
        same id or None, so the cleaned values of ``edits.check_asset`` can be passed whole).
        Changing nothing writes nothing (no audit entry, the version stays).

        Parameters
        ----------
        base : Editable, optional
            What the form started from (:meth:`editable_asset`). Then only the fields that
            differ from it are written (a user who changed the description does not write
            back an old name), and a save on a row that someone changed meanwhile is refused.

        Raises
        ------
        StaleEdit
            With ``base``: the asset changed since; ``changes`` lists each field (value
            now, the user's value), ``current`` is the new starting point.
        NotFound
            For an unknown asset id.
        SchemaError
            Naming every bad field.
        NoWorkspace
            When no workspace was saved yet.
        """
        _edits.update_fields(self._db, asset_id, changes, actor=actor, now=self._now(), base=base)

    def delete_asset(self, asset_id: str, *, actor: str, base: Editable | None = None) -> None:
        """Delete an asset, its activities, its place needs and its outline.

        Connections made to it stay: they are history. With ``base``, a place someone
        changed since it was read is not deleted (:class:`StaleEdit` says what changed).

        Raises
        ------
        NotFound
            For an unknown asset id.
        StaleEdit
            With ``base``, when the place changed since.
        """
        _edits.remove(self._db, asset_id, actor=actor, now=self._now(), base=base)

    # --- activities, place needs and connections -------------------------------------------

    def activities(self) -> pd.DataFrame:
        """Return every activity: ``model.ACTIVITY_COLUMNS``, by weekday and time.

        ``weekday`` is int64 (1 = Monday), the rest text (``start``/``end`` ``"HH:MM"``).
        """
        return _activities.activities_frame(self._db)

    def editable_activity(self, activity_id: str) -> Editable:
        """Return an activity's version and fields (all but ``id``), as a form starts from them.

        Raises
        ------
        NotFound
            For an unknown activity id.
        """
        return _activities.editable_activity(self._db, activity_id)

    def save_activity(
        self, activity: Mapping[str, Any], *, actor: str, base: Editable | None = None
    ) -> str:
        """Add an activity, or change the one whose ``id`` is given and stored; return the id.

        Parameters
        ----------
        activity : mapping
            ``model.ACTIVITY_COLUMNS`` (checked as by ``asset_map.rules.edits.check_activity``;
            ``id`` optional: made as ``activity-`` and 12 hex characters).
        actor : str
            Who saves; the audit log names the fields.
        base : Editable, optional
            For a stored activity: what the form started from (:meth:`editable_activity`).
            Only the fields that differ from it are written; one changed meanwhile is
            refused with :class:`StaleEdit`, one deleted meanwhile with :class:`NotFound`.

        Raises
        ------
        StaleEdit
            With ``base``, when the activity changed since.
        SchemaError
            Naming every bad field.
        NotFound
            When ``asset_id`` is no stored asset.
        NoWorkspace
            When no workspace was saved yet.
        """
        return _activities.save_activity(
            self._db, activity, actor=actor, now=self._now(), base=base
        )

    def delete_activity(
        self, activity_id: str, *, actor: str, base: Editable | None = None
    ) -> None:
        """Delete an activity; with ``base``, not one that changed since it was read.

        Raises
        ------
        NotFound
            For an unknown activity id.
        StaleEdit
            With ``base``, when the activity changed since.
        """
        _activities.delete_activity(self._db, activity_id, actor=actor, now=self._now(), base=base)

    def place_needs(self) -> pd.DataFrame:
        """Return what places ask for: ``model.PLACE_NEED_COLUMNS``, ``;``-joined keys."""
        return _activities.needs_frame(self._db)

    def editable_needs(self, asset_id: str) -> Editable:
        """Return what a place asks for (``categories`` ``;``-joined, ``note``) and its version.

        Version 0 with empty values when the place asks for nothing yet.

        Raises
        ------
        NotFound
            For an unknown asset id.
        """
        return _activities.editable_needs(self._db, asset_id)

    def set_place_needs(
        self,
        asset_id: str,
        categories: Sequence[str],
        *,
        note: str = "",
        actor: str,
        base: Editable | None = None,
    ) -> None:
        """Set the talent categories a place asks for, and a note.

        No categories and an empty note remove the place's row. With ``base``
        (:meth:`editable_needs` when the form was drawn), only what differs from it is
        written, and needs that someone changed meanwhile are refused.

        Raises
        ------
        StaleEdit
            With ``base``, when the needs changed since.
        SchemaError
            For an unknown category or a note over 500 characters.
        NotFound
            For an unknown asset id.
        """
        _activities.set_needs(
            self._db, asset_id, categories, note=note, actor=actor, now=self._now(), base=base
        )

    def record_connection(
        self, asset_id: str, talent_id: str, *, category: str, actor: str, note: str = ""
    ) -> str:
        """Record that ``actor`` connected a resident's approved talent to a place.

        The talent's buurt is copied, so counts per buurt survive a withdrawal. The
        workspace version does not change.

        Parameters
        ----------
        asset_id, talent_id : str
            The place and the talent.
        category : str
            One of the talent's categories.
        actor : str
            Who made the connection.
        note : str
            At most 500 characters.

        Returns
        -------
        str
            The new id (``connection-`` and 12 hex characters).

        Raises
        ------
        NotFound
            For an unknown asset or talent.
        StatusError
            When the talent is not approved.
        SchemaError
            For a category that is not one of the talent's, or a note that is too long.
        """
        return _activities.record_connection(
            self._db,
            asset_id,
            talent_id,
            category=category,
            actor=actor,
            note=note,
            now=self._now(),
        )

    def connections(self) -> pd.DataFrame:
        """Return every connection: ``model.CONNECTION_COLUMNS``, oldest first.

        ``made_at`` holds aware UTC datetimes; the rest is text.
        """
        return _activities.connections_frame(self._db)

    # --- talents ---------------------------------------------------------------------------

    def submit_talent(
        self,
        sub: TalentSubmission,
        *,
        address: str | None = None,
        limits: SubmissionLimits | None = None,
    ) -> Receipt:
        """Store a resident's talent as ``pending``.

        Parameters
        ----------
        sub : TalentSubmission
            The checked form.
        address : str, optional
            The client's address (None: not known; such clients count together).
        limits : SubmissionLimits, optional
            The public form's limits (``settings.submission_limits()``): per client
            address and in all, per hour and per day, and the most talents waiting for
            moderation. Counted in the database, in the same transaction. None: no limits
            (a staff or bulk path).

        Returns
        -------
        Receipt
            The new id and the withdrawal code. Show the code to the resident once: only its
            hash is stored, nobody can look it up later.

        Raises
        ------
        SchemaError
            Naming every field that breaks a limit (lengths, category and wish keys, buurt
            code).
        SubmissionRefused
            With ``limits``, when one is reached (``reason``); nothing is stored.
        """
        return _talents.submit(self._db, sub, now=self._now(), address=address, limits=limits)

    def pending_count(self) -> int:
        """Return how many talents wait for moderation."""
        return _talents.pending_count(self._db)

    def talents(self, *, status: str | None = None) -> pd.DataFrame:
        """Return talents for moderators, oldest first, with contact data and timestamps.

        Parameters
        ----------
        status : str, optional
            Only talents with this status (``pending``, ``approved``, ``rejected``,
            ``withdrawn``).

        Returns
        -------
        DataFrame
            ``model.TALENT_COLUMNS`` plus ``contact``, ``created_at``, ``updated_at``,
            ``decided_by``, ``decided_at`` (UTC). Categories and wishes are ``;``-joined keys.
        """
        return _talents.moderation_frame(self._db, status=status)

    def talent(self, talent_id: str) -> dict[str, Any] | None:
        """Return one talent as a dict of the columns of :meth:`talents`, or None."""
        return _talents.one(self._db, talent_id)

    def public_talents(self) -> pd.DataFrame:
        """Return the approved talents with only ``categories``, ``buurt_code``, ``status``.

        No id, nickname, description, wishes, availability, contact or dates: this frame may
        reach a public layer (aggregated per buurt by ``analysis.summary.talents_per_buurt``).
        Moderators use :meth:`talents`.
        """
        return _talents.public_frame(self._db)

    def editable_talent(self, talent_id: str) -> Editable:
        """Return a talent's version, its editable fields (as stored) and its ``status``.

        Raises
        ------
        TalentNotFound
            For an unknown id.
        """
        return _talents.editable(self._db, talent_id)

    def decide(
        self, talent_id: str, *, status: str, actor: str, base: Editable | None = None
    ) -> None:
        """Approve or reject a talent, or set it back to ``pending`` to undo a decision.

        With ``base`` (:meth:`editable_talent` when the screen showed it), a talent changed
        meanwhile (edited, or decided otherwise by someone else) is refused: nobody approves
        a text they have not seen.

        Raises
        ------
        StaleEdit
            With ``base``, when the talent changed since.
        TalentNotFound
            For an unknown id.
        StatusError
            For a withdrawn talent.
        SchemaError
            For a status other than ``approved``, ``rejected`` or ``pending``.
        """
        _talents.decide(self._db, talent_id, status=status, actor=actor, now=self._now(), base=base)

    def edit_talent(
        self,
        talent_id: str,
        changes: dict[str, Any],
        *,
        actor: str,
        base: Editable | None = None,
    ) -> None:
        """Change fields of a talent (a moderator correcting a typo, say).

        Parameters
        ----------
        talent_id : str
            The talent.
        changes : dict
            Field -> new value, for ``nickname``, ``categories`` (keys, a tuple or
            ``;``-joined), ``description``, ``wishes``, ``availability``, ``buurt_code``,
            ``contact``. Checked like a submission.
        actor : str
            Who edits; the audit log names the changed fields, not their values.
        base : Editable, optional
            What the form started from (:meth:`editable_talent`): only the fields that
            differ from it are written; a talent changed meanwhile raises
            :class:`StaleEdit`.
        """
        _talents.edit(self._db, talent_id, changes, actor=actor, now=self._now(), base=base)

    def withdraw(self, code: str) -> bool:
        """Erase a resident's personal data with their withdrawal code (right to erasure).

        Nickname, description, availability and contact are set to NULL, the status to
        ``withdrawn``. Categories, wishes, buurt and date stay; an approved talent keeps
        counting in the anonymous public counts.

        Returns
        -------
        bool
            False when no talent has this code (or it is no code at all), or when its data
            were erased already (see :meth:`already_erased`).
        """
        return _talents.withdraw(self._db, code, now=self._now())

    def already_erased(self, code: str) -> bool:
        """Tell whether the talent with this withdrawal code was erased already."""
        return _talents.already_erased(self._db, code)

    def erase_talent(self, talent_id: str, *, actor: str) -> bool:
        """Erase one talent's personal data for a moderator; False if erased already."""
        return _talents.erase(self._db, talent_id, actor=actor, now=self._now())

    def purge_personal_data(self, *, older_than_days: int, actor: str) -> int:
        """Erase, as :meth:`withdraw` does, every talent submitted over N days ago.

        Returns
        -------
        int
            How many talents were erased now (already withdrawn ones do not count).
        """
        return _talents.purge(
            self._db, older_than_days=older_than_days, actor=actor, now=self._now()
        )

    # --- accounts --------------------------------------------------------------------------

    def add_user(self, username: str, password: str, role: str, *, actor: str) -> None:
        """Add an account.

        The user name is stored in lower case. Roles: ``"wijkmanager"``, ``"planner"``,
        ``"admin"`` (see ``asset_map.rules.auth``).

        Raises
        ------
        ValueError
            For a malformed user name or an unknown role.
        auth.WeakPassword
            When the password has fewer than 10 characters or equals the user name.
        auth.UserExists
            When the name is taken.
        """
        _users.add(self._db, username, password, role, actor=actor, now=self._now())

    def set_password(self, username: str, password: str, *, actor: str) -> None:
        """Give an account a new password (same rules as :meth:`add_user`); lifts a lock."""
        _users.set_password(self._db, username, password, actor=actor, now=self._now())

    def remove_user(self, username: str, *, actor: str) -> None:
        """Remove an account; refuses to remove the last administrator."""
        _users.remove(self._db, username, actor=actor, now=self._now())

    def unlock_user(self, username: str, *, actor: str) -> None:
        """Lift the log-in delays on an account: its failures from every address and device."""
        _users.unlock(self._db, username, actor=actor, now=self._now())

    def authenticate(
        self,
        username: str,
        password: str,
        *,
        now: datetime | None = None,
        address: str | None = None,
        device: str | None = None,
    ) -> User:
        """Check a log-in.

        Wrong passwords earn growing delays, never a lock an outsider can set off (see
        ``asset_map.rules.auth``): counted per user name and client address, per address,
        per name over the addresses that failed on it, and per known device. A browser that
        logged in to this account before (``device``, from :meth:`remember_device`) counts
        only its own failures, so others cannot keep the owner out. Unknown names are
        delayed alike, so a delay tells nothing. Every checked attempt is in the audit log
        with the client address (``details``: ``address``, ``known_device``, ``delay_s``).

        Parameters
        ----------
        address : str, optional
            The client's address (IPv4 or IPv6); None counts as ``unknown`` (shared).
        device : str, optional
            The known-device token the browser sent.

        Raises
        ------
        auth.LoginFailed
            Wrong name or wrong password (one message for both).
        auth.LoginDelayed
            While a delay holds (the password is not checked); ``until`` says when it ends.
        """
        return _users.authenticate(
            self._db,
            username,
            password,
            now=now or self._now(),
            address=address,
            device=device,
        )

    def remember_device(self, username: str, *, current: str | None = None) -> str:
        """Return the known-device token for a browser of ``username``, to keep in it.

        Call it after a successful log-in: ``current`` (the token the browser sent) when it
        is a known device of this account, else a new token. Only hashes are stored; a new
        password or removing the account forgets every device of it.
        """
        return _users.remember_device(self._db, username, now=self._now(), current=current)

    def session_marker(self, username: str) -> str | None:
        """Return a marker of the account's role and password; None if it does not exist.

        A log-in keeps it; when it changes (account removed, role or password changed) the
        session ends.
        """
        return _users.session_marker(self._db, username)

    def users(self) -> pd.DataFrame:
        """Return ``username``, ``role``, ``created_at``, ``locked_until``; never hashes."""
        return _users.frame(self._db)

    # --- audit log -------------------------------------------------------------------------

    def audit(self, *, entity: str | None = None, entity_id: str | None = None) -> pd.DataFrame:
        """Return the audit log, oldest first, optionally for one entity (and id).

        Returns
        -------
        DataFrame
            ``at`` (UTC), ``actor``, ``action``, ``entity`` (``"talent"``, ``"user"``,
            ``"workspace"``, ``"asset"``, ``"activity"``, ``"place_needs"``, ``"connection"``),
            ``entity_id``, ``details`` (JSON text; never personal values).
        """
        with self._db.reading() as conn:
            return _audit.read(conn, entity=entity, entity_id=entity_id)
