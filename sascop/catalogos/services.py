"""Catalog writes, and the rule every domain write shares: new choices must be active."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import translation

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.core.api.validation import validated
from sascop.core.db.queries import bloquear_o_404
from sascop.core.errors import InvalidInput


def _nombre(modelo: type[models.Model]) -> str:
    """A catalog as the API's messages name it: by the users' Spanish word (`responsable de
    proyecto`), whatever the client's language, as the API names every field and catalog."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(modelo._meta.verbose_name)


def exigir_activos(instancia: models.Model, antes: dict[str, str] | None = None) -> None:
    """Refuse a newly chosen catalog entry that is inactive (400 naming the field).

    An entry already on the record (unchanged since `antes`) may stay even if it was
    deactivated meanwhile: history is kept, only new choices are refused.
    """
    errors: dict[str, list[str]] = {}
    for field in instancia._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        related = field.related_model
        if not hasattr(related, "activo"):
            continue
        value = getattr(instancia, field.attname)
        if value is None:
            continue
        if antes is not None and antes.get(field.name) == str(value):
            continue
        if not related._default_manager.filter(pk=value, activo=True).exists():
            errors[field.name] = [f"{_nombre(related)} {value} is inactive."]
    if errors:
        raise InvalidInput(fields=errors)


@transaction.atomic
def catalogo_crear(*, usuario: User, modelo: type[models.Model], datos: dict[str, Any]) -> Any:
    instancia = modelo(**datos)
    exigir_activos(instancia)
    validated(instancia).save()
    actividad.registrar_creaciones(usuario=usuario, instancias=[instancia])
    return instancia


@transaction.atomic
def catalogo_actualizar(
    *, usuario: User, modelo: type[models.Model], pk: Any, datos: dict[str, Any]
) -> Any:
    # By pk, not the catalog's ordering: a sitio is ordered by its frente, which it may
    # lack, and PostgreSQL locks no row on the nullable side of an outer join.
    instancia = bloquear_o_404(
        modelo._default_manager.order_by("pk"), pk, _nombre(modelo).capitalize()
    )
    antes = actividad.snapshot(instancia)
    for name, value in datos.items():
        setattr(instancia, name, value)
    exigir_activos(instancia, antes)
    validated(instancia).save()
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=instancia)
    return instancia
