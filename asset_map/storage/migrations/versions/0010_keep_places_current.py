"""Keep the map current: residents' suggestions, last checks, organisers' links."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0010", "0009"


def upgrade() -> None:
    """Create the tables of suggestions, checks, staff areas and organisers' links.

    Places stored already count as checked by the import that brought them (when the
    workspace was saved last): without it, every place would be overdue at once.
    """
    op.create_table(
        "suggestions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("correction", sa.String(12)),
        sa.Column("asset_id", sa.Text()),
        sa.Column("type", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("schedule", sa.String(200)),
        sa.Column("address", sa.Text()),
        sa.Column("lon", sa.Double()),
        sa.Column("lat", sa.Double()),
        sa.Column("private_home", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("buurt_code", sa.String(10)),
        sa.Column("contact", sa.String(120)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("result_asset_id", sa.Text()),
        sa.Column("erased_at", UTCDateTime()),
        sa.CheckConstraint("kind IN ('place', 'group', 'correction')", name="ck_suggestions_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected')", name="ck_suggestions_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_suggestions"),
    )
    op.create_index("ix_suggestions_code_hash", "suggestions", ["code_hash"], unique=True)
    op.create_index("ix_suggestions_status", "suggestions", ["status"])
    op.create_index("ix_suggestions_created_at", "suggestions", ["created_at"])
    op.create_table(
        "place_checks",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.Column("checked_by", sa.String(64), nullable=False),
        sa.Column("method", sa.String(12), nullable=False),
        sa.CheckConstraint(
            "method IN ('visit', 'phone', 'organiser', 'import', 'resident')",
            name="ck_place_checks_method",
        ),
        sa.PrimaryKeyConstraint("asset_id", name="pk_place_checks"),
    )
    op.create_table(
        "staff_areas",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("area_code", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("username", "area_code", name="pk_staff_areas"),
    )
    op.create_table(
        "organiser_links",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.Text()),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_by", sa.String(64)),
        sa.Column("revoked_at", UTCDateTime()),
        sa.Column("last_used_at", UTCDateTime()),
        sa.Column("uses", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_organiser_links"),
    )
    op.create_index("ix_organiser_links_token_hash", "organiser_links", ["token_hash"], unique=True)
    op.create_index("ix_organiser_links_asset_id", "organiser_links", ["asset_id"])
    op.execute(
        "INSERT INTO place_checks (asset_id, checked_at, checked_by, method) "
        "SELECT assets.id, workspace.saved_at, workspace.saved_by, 'import' "
        "FROM assets CROSS JOIN workspace"
    )


def downgrade() -> None:
    """Drop what the upgrade added."""
    op.drop_table("organiser_links")
    op.drop_table("staff_areas")
    op.drop_table("place_checks")
    op.drop_table("suggestions")
