"""Workspace layers: the areas and assets the map shows, and the workspace's meta."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0002", "0001"

# Frozen copy of model.KEY_FIGURES: a new key figure must come with a migration of its own.
KEY_FIGURES = (
    "inhabitants",
    "pct_65_plus",
    "households",
    "pct_single_households",
    "land_area_ha",
)


def upgrade() -> None:
    """Create ``workspace``, ``areas`` and ``assets``."""
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.Column("saved_by", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_workspace_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_workspace"),
    )

    op.create_table(
        "areas",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("level", sa.Text()),
        sa.Column("parent_code", sa.Text()),
        *(sa.Column(name, sa.Double()) for name in KEY_FIGURES),
        sa.Column("geometry", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("code", name="pk_areas"),
    )

    op.create_table(
        "assets",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("type", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("tags", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("capacity", sa.Double()),
        sa.Column("geometry", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("id", name="pk_assets"),
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("assets")
    op.drop_table("areas")
    op.drop_table("workspace")
