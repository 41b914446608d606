"""Writing the activity log. Callers pass the acting user; rows join the caller's
transaction, so a rejected change leaves no trace and an accepted one always does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from sascop.accounts.models import User
from sascop.actividad.models import RegistroActividad
from sascop.core.api.serializers import iso

Accion = RegistroActividad.Accion


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return iso(value) or ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def snapshot(instance: models.Model) -> dict[str, str]:
    """The instance's stored values as text, keyed by field name (foreign keys as ids)."""
    return {
        field.name: _text(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in {"actualizado_en", "version"}
    }


def _user_fields(usuario: User | None) -> dict[str, Any]:
    if usuario is None or not getattr(usuario, "is_authenticated", False):
        return {"usuario": None, "nombre_usuario": ""}
    return {"usuario": usuario, "nombre_usuario": usuario.get_username()}


def _entity(instance: models.Model) -> dict[str, str]:
    return {"entidad": instance._meta.model_name or "", "entidad_id": _text(instance.pk)}


def registrar_evento(
    *, accion: str, usuario: User | None = None, nombre_usuario: str = "", ip: str | None = None
) -> None:
    """A login, failed login, logout, expiry or lock-out."""
    fields = _user_fields(usuario)
    if nombre_usuario and not fields["nombre_usuario"]:
        fields["nombre_usuario"] = nombre_usuario[:254]
    RegistroActividad(accion=accion, ip=ip, **fields).save(force_insert=True)


def registrar_creaciones(*, usuario: User | None, instancias: Iterable[models.Model]) -> None:
    rows = [
        RegistroActividad(
            accion=Accion.CREAR,
            valor_nuevo=str(instance),
            **_entity(instance),
            **_user_fields(usuario),
        )
        for instance in instancias
    ]
    # In batches: one INSERT of 50,000 rows takes the ORM longer to build than PostgreSQL's
    # idle limit for a transaction (DB_STATEMENT_TIMEOUT) allows between two statements.
    RegistroActividad.objects.bulk_create(rows, batch_size=1000)


def registrar_cambios(
    *, usuario: User | None, antes: dict[str, str], instancia: models.Model
) -> int:
    """One row per field whose value changed (`antes`: the instance's `snapshot` before the
    change); returns how many."""
    return registrar_cambios_de(usuario=usuario, cambios=[(antes, instancia)])


def registrar_cambios_de(
    *, usuario: User | None, cambios: Iterable[tuple[dict[str, str], models.Model]]
) -> int:
    """`registrar_cambios` for many instances, each with its snapshot from before the
    change, in one insert; returns how many rows were logged."""
    rows = [
        RegistroActividad(
            accion=Accion.MODIFICAR,
            campo=name,
            valor_anterior=antes.get(name, ""),
            valor_nuevo=value,
            **_entity(instancia),
            **_user_fields(usuario),
        )
        for antes, instancia in cambios
        for name, value in snapshot(instancia).items()
        if antes.get(name, "") != value
    ]
    RegistroActividad.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def registrar_eliminacion(*, usuario: User | None, instancia: models.Model) -> None:
    RegistroActividad.objects.create(
        accion=Accion.ELIMINAR,
        valor_anterior=str(instancia),
        **_entity(instancia),
        **_user_fields(usuario),
    )


def registrar_cambios_lote(
    *,
    usuario: User | None,
    cambios: Iterable[tuple[models.Model, models.Model]],
    campos: Sequence[str] | None = None,
) -> int:
    """`registrar_cambios` for many instances, each as it was and as it is now, in one
    insert; `campos` limits the comparison to the fields the caller may have changed (the
    others are not looked at). Returns how many rows were logged."""
    rows = []
    for antes, despues in cambios:
        nombres = campos if campos is not None else list(snapshot(despues))
        for name in nombres:
            attname = despues._meta.get_field(name).attname  # type: ignore[union-attr]
            anterior, nuevo = _text(getattr(antes, attname)), _text(getattr(despues, attname))
            if anterior != nuevo:
                rows.append(
                    RegistroActividad(
                        accion=Accion.MODIFICAR,
                        campo=name,
                        valor_anterior=anterior,
                        valor_nuevo=nuevo,
                        **_entity(despues),
                        **_user_fields(usuario),
                    )
                )
    RegistroActividad.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def registrar_eliminaciones(*, usuario: User | None, instancias: Iterable[models.Model]) -> None:
    """`registrar_eliminacion` for many instances, in one insert."""
    RegistroActividad.objects.bulk_create(
        [
            RegistroActividad(
                accion=Accion.ELIMINAR,
                valor_anterior=str(instancia),
                **_entity(instancia),
                **_user_fields(usuario),
            )
            for instancia in instancias
        ],
        batch_size=1000,
    )
