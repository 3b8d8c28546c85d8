"""Activities at places, what a place asks for, and connections of talents to places."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0004", "0003"


def upgrade() -> None:
    """Create ``activities``, ``place_needs`` and ``connections``."""
    op.create_table(
        "activities",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.String(5), nullable=False),
        sa.Column("end", sa.String(5), nullable=False),
        sa.Column("target_group", sa.Text(), nullable=False),
        sa.Column("organiser", sa.Text()),
        sa.Column("contact", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name="ck_activities_weekday"),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
    )
    op.create_index("ix_activities_asset_id", "activities", ["asset_id"])

    op.create_table(
        "place_needs",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("asset_id", name="pk_place_needs"),
    )

    op.create_table(
        "connections",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("talent_id", sa.String(36), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_connections"),
    )
    op.create_index("ix_connections_asset_id", "connections", ["asset_id"])
    op.create_index("ix_connections_talent_id", "connections", ["talent_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("connections")
    op.drop_table("place_needs")
    op.drop_table("activities")
