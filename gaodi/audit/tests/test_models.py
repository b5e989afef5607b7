"""Change records cannot be edited or deleted through the app."""

from __future__ import annotations

import pytest

from gaodi.audit.context import new_request_id
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.services import ensure_reference_tree

pytestmark = pytest.mark.django_db


def test_a_service_write_is_recorded_with_the_request_id() -> None:
    request_id = new_request_id("test-")
    ensure_reference_tree(actor=None)
    records = ChangeRecord.objects.filter(object_type="orgs.orgunit")
    assert [r.after["name"] for r in records.order_by("id")] == ["山东省", "聊城市", "茌平区"]
    assert {r.request_id for r in records} == {request_id}


def test_the_tree_is_created_once() -> None:
    ensure_reference_tree(actor=None)
    ensure_reference_tree(actor=None)
    assert ChangeRecord.objects.filter(object_type="orgs.orgunit").count() == 3


def test_a_record_cannot_be_changed_or_deleted() -> None:
    ensure_reference_tree(actor=None)
    record = ChangeRecord.objects.first()
    assert record is not None
    record.summary = "篡改"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        ChangeRecord.objects.all().delete()
    with pytest.raises(PermissionError):
        ChangeRecord.objects.update(summary="篡改")
    assert ChangeRecord.objects.filter(summary="篡改").count() == 0
