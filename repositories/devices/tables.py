"""The devices feature's table (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class PushDeviceRow(SQLModel, table=True):
    """A device that receives pushes: a Web Push subscription (`address` is its endpoint, with
    its keys) or an FCM/APNs token (`address`). One row per endpoint or token."""

    __tablename__ = "push_device"
    __table_args__ = (
        Index("ux_push_device_address", "platform", "address", unique=True),
        # A person's devices, newest first (ids are time-ordered).
        Index("ix_push_device_user", "user_id", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    address: str = Field(sa_column=Column(String(1000), nullable=False))
    p256dh: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    auth: str | None = Field(default=None, sa_column=Column(String(50), nullable=True))
    name: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    # The newest notification line already offered to this device (line ids are time-ordered).
    pushed_upto: uuid.UUID
