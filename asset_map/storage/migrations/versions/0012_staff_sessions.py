"""Staff sessions that survive a reload, and the key that signs their cookies."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0012", "0011"


def upgrade() -> None:
    """Create ``staff_sessions`` and ``app_keys``."""
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("marker", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("ticket_hash", sa.String(64)),
        sa.Column("ticket_until", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_active", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_staff_sessions"),
    )
    op.create_index("ix_staff_sessions_token_hash", "staff_sessions", ["token_hash"], unique=True)
    op.create_index("ix_staff_sessions_ticket_hash", "staff_sessions", ["ticket_hash"], unique=True)
    op.create_index("ix_staff_sessions_username", "staff_sessions", ["username"])
    op.create_table(
        "app_keys",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_app_keys"),
    )


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("app_keys")
    op.drop_table("staff_sessions")
