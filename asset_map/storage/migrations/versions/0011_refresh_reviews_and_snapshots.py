"""Refresh from the sources with a review, and dated snapshots of the workspace."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0011", "0010"


def upgrade() -> None:
    """Create ``source_records``, ``refresh_changes`` and ``snapshots``.

    ``source_records`` starts empty: until a source is taken in again, a refresh compares
    with the stored places of that source.
    """
    op.create_table(
        "source_records",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "source_id", name="pk_source_records"),
    )
    op.create_table(
        "refresh_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("local", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", UTCDateTime()),
        sa.CheckConstraint("kind IN ('new', 'gone', 'changed')", name="ck_refresh_changes_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected')", name="ck_refresh_changes_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_changes"),
    )
    op.create_index("ix_refresh_changes_status", "refresh_changes", ["status"])
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("taken_by", sa.String(64), nullable=False),
        sa.Column("label", sa.String(120)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_taken_at", "snapshots", ["taken_at"])


def downgrade() -> None:
    """Drop what the upgrade added."""
    op.drop_table("snapshots")
    op.drop_table("refresh_changes")
    op.drop_table("source_records")
