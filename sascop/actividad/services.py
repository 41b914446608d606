"""Writing the activity log. Callers pass the acting user; rows join the caller's
transaction, so a rejected change leaves no trace and an accepted one always does.

Accesses (logins, failures, logouts…) are written by accounts through `registrar_acceso`:
one row per event, which is both the activity log's entry and the login history's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone

from sascop.actividad.models import ACCESOS, Accion, RegistroActividad
from sascop.core.api.serializers import iso
from sascop.core.db.queries import insertar

# The acting user as a view has it (`request.user`), or None for the system.
Usuario = AbstractBaseUser | AnonymousUser | None


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


def _user_fields(usuario: Usuario) -> dict[str, Any]:
    if usuario is None or not getattr(usuario, "is_authenticated", False):
        return {"usuario": None, "nombre_usuario": ""}
    return {"usuario": usuario, "nombre_usuario": usuario.get_username()}


def _entity(instance: models.Model) -> dict[str, str]:
    return {"entidad": instance._meta.model_name or "", "entidad_id": _text(instance.pk)}


def registrar_acceso(
    *,
    accion: Accion,
    usuario: Usuario = None,
    nombre_usuario: str = "",
    ip: str | None = None,
    agente_usuario: str = "",
) -> RegistroActividad:
    """Record an access (one of `ACCESOS`): a login, a failed or locked-out attempt, a
    second-factor code, a logout, an expiry or an ended session, with where it came from.
    `nombre_usuario` is what was typed (default: the user's username)."""
    if accion not in ACCESOS:
        raise ValueError(f"{accion!r} is not an access.")
    fields = _user_fields(usuario)
    if nombre_usuario:
        fields["nombre_usuario"] = nombre_usuario[:254]
    registro = RegistroActividad(accion=accion, ip=ip, agente_usuario=agente_usuario, **fields)
    registro.save(force_insert=True)
    return registro


def purgar_accesos(*, antes_de: datetime) -> int:
    """Delete the accesses recorded before `antes_de` (the login history's retention); how
    many went. Changes to records are kept whatever their age."""
    borrados, _ = RegistroActividad.objects.filter(accion__in=ACCESOS, fecha__lt=antes_de).delete()
    return borrados


def _insertar(usuario: Usuario, filas: Sequence[tuple[str, str, str, str, str, str]]) -> None:
    """Log rows given as (accion, entidad, entidad_id, campo, valor_anterior, valor_nuevo),
    all by `usuario`, at one time: without a model instance per row (a month's sheet logs
    15,000 of them in the caller's transaction)."""
    insertar(
        RegistroActividad,
        ["accion", "entidad", "entidad_id", "campo", "valor_anterior", "valor_nuevo"],
        filas,
        fijos={"fecha": timezone.now(), **_user_fields(usuario)},
    )


def registrar_creaciones(*, usuario: Usuario, instancias: Iterable[models.Model]) -> None:
    _insertar(
        usuario,
        [
            (
                Accion.CREAR,
                instance._meta.model_name or "",
                _text(instance.pk),
                "",
                "",
                str(instance),
            )
            for instance in instancias
        ],
    )


def registrar_creaciones_de(
    *, usuario: Usuario, modelo: type[models.Model], creadas: Iterable[tuple[Any, str]]
) -> None:
    """`registrar_creaciones` of rows of `modelo` inserted without instances: each as its
    primary key and its text (what `str()` of the instance would say)."""
    entidad = modelo._meta.model_name or ""
    _insertar(usuario, [(Accion.CREAR, entidad, _text(pk), "", "", texto) for pk, texto in creadas])


def registrar_cambios(*, usuario: Usuario, antes: dict[str, str], instancia: models.Model) -> int:
    """One row per field whose value changed (`antes`: the instance's `snapshot` before the
    change); returns how many."""
    return registrar_cambios_de(usuario=usuario, cambios=[(antes, instancia)])


def registrar_cambios_de(
    *, usuario: Usuario, cambios: Iterable[tuple[dict[str, str], models.Model]]
) -> int:
    """`registrar_cambios` for many instances, each with its snapshot from before the
    change, in one insert; returns how many rows were logged."""
    rows = [
        (
            Accion.MODIFICAR,
            instancia._meta.model_name or "",
            _text(instancia.pk),
            name,
            antes.get(name, ""),
            value,
        )
        for antes, instancia in cambios
        for name, value in snapshot(instancia).items()
        if antes.get(name, "") != value
    ]
    _insertar(usuario, rows)
    return len(rows)


def registrar_eliminacion(*, usuario: Usuario, instancia: models.Model) -> None:
    RegistroActividad.objects.create(
        accion=Accion.ELIMINAR,
        valor_anterior=str(instancia),
        **_entity(instancia),
        **_user_fields(usuario),
    )


def registrar_cambios_lote(
    *,
    usuario: Usuario,
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
                    (
                        Accion.MODIFICAR,
                        despues._meta.model_name or "",
                        _text(despues.pk),
                        name,
                        anterior,
                        nuevo,
                    )
                )
    _insertar(usuario, rows)
    return len(rows)


def registrar_eliminaciones(*, usuario: Usuario, instancias: Iterable[models.Model]) -> None:
    """`registrar_eliminacion` for many instances, in one insert."""
    _insertar(
        usuario,
        [
            (Accion.ELIMINAR, i._meta.model_name or "", _text(i.pk), "", str(i), "")
            for i in instancias
        ],
    )
