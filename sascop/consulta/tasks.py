"""The Centro de Consulta's queued work: e-mailing what a search found."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from sascop.consulta import services


@task()
def enviar_consulta(
    *, usuario_id: int, parametros: str, destinatarios: list[str], base_url: str
) -> dict[str, Any]:
    """Search again as the user who asked (their role's kinds, the data as it is now) and
    e-mail the summary with the workbook attached."""
    usuario = get_user_model().objects.get(pk=usuario_id)
    para = services.consulta_enviar(
        usuario=usuario, parametros=parametros, destinatarios=destinatarios, base_url=base_url
    )
    return {"parametros": parametros, "enviado_a": para}
