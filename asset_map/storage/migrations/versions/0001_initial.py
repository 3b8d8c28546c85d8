"""Initial schema: talents, users, failed log-ins, audit log."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from asset_map.storage.schema import UTCDateTime

revision, down_revision = "0001", None

# Frozen copies: a later change of the constants must come with a migration of its own.
TALENT_STATUSES = ("pending", "approved", "rejected", "withdrawn")
ROLES = ("wijkmanager", "planner", "admin")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "talents",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("nickname", sa.String(40)),
        sa.Column("categories", sa.String(200), nullable=False),
        sa.Column("description", sa.String(500)),
        sa.Column("wishes", sa.String(200)),
        sa.Column("availability", sa.String(100)),
        sa.Column("buurt_code", sa.String(10), nullable=False),
        sa.Column("contact", sa.String(120)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("withdrawal_hash", sa.String(64)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", UTCDateTime()),
        sa.CheckConstraint(_in("status", TALENT_STATUSES), name="ck_talents_status"),
        sa.PrimaryKeyConstraint("id", name="pk_talents"),
    )
    op.create_index("ix_talents_withdrawal_hash", "talents", ["withdrawal_hash"], unique=True)
    op.create_index("ix_talents_status", "talents", ["status"])
    op.create_index("ix_talents_created_at", "talents", ["created_at"])

    op.create_table(
        "users",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(_in("role", ROLES), name="ck_users_role"),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
    )

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime()),
        sa.Column("locked_until", UTCDateTime()),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(64)),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("audit_log")
    op.drop_table("login_throttle")
    op.drop_table("users")
    op.drop_table("talents")
