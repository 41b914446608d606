from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.core.api.cache_policy import NoStoreMixin
from sascop.core.errors import NotFound
from sascop.tareas import selectors
from sascop.tareas.serializers import TareaEstadoSerializer


class TareaApi(NoStoreMixin, APIView):
    """A queued task's state, for the user who queued it: poll it until `terminada` or
    `fallida` (the `Location` of a 202 answer points here)."""

    permission_classes = [IsAuthenticated]
    extra_error_codes = ["404"]

    @extend_schema(tags=["tareas"], operation_id="tarea_detalle", responses=TareaEstadoSerializer)
    def get(self, request: Request, tarea_id: uuid.UUID) -> Response:
        tarea = selectors.tarea_de(str(tarea_id), request.user)
        if tarea is None:
            raise NotFound()
        return Response(selectors.tarea_estado(tarea))
