"""The role names; their permissions are set by migration accounts/0002_roles."""

from __future__ import annotations

CONSULTA = "Consulta"
CAPTURA = "Captura de producción"
INGENIERIA = "Ingeniería"
ADMINISTRACION = "Administración"
ALL = (CONSULTA, CAPTURA, INGENIERIA, ADMINISTRACION)
