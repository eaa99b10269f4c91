"""Publishes the real JSON Schemas of ``schemas/`` in the OpenAPI document.

The routes read their bodies themselves (to validate them against the JSON
Schemas with exact errors), so FastAPI cannot infer the shapes; this module
puts the schemas into ``components/schemas``, rewriting their internal
references (``#/$defs/x``, ``province.schema.json``) to component references.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ictgate.api.problems import PROBLEM_SCHEMA
from ictgate.audit.spreadsheet import XLSX

__all__ = ["component_name", "install_openapi", "schema_components"]


def component_name(schema_name: str, definition: str | None = None) -> str:
    base = "".join(part.capitalize() for part in schema_name.split("_"))
    return base if definition is None else base + "_" + definition


def _rewrite(node: Any, owner: str) -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key in ("$id", "$schema", "$defs"):
                continue
            if key == "$ref" and isinstance(value, str):
                result[key] = _target(value, owner)
            else:
                result[key] = _rewrite(value, owner)
        return result
    if isinstance(node, list):
        return [_rewrite(item, owner) for item in node]
    return node


def _target(reference: str, owner: str) -> str:
    document, _, fragment = reference.partition("#")
    name = document.removesuffix(".schema.json") if document else owner
    if fragment.startswith("/$defs/"):
        return "#/components/schemas/" + component_name(name, fragment.removeprefix("/$defs/"))
    return "#/components/schemas/" + component_name(name)


def schema_components(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    components: dict[str, Any] = {"Problem": copy.deepcopy(PROBLEM_SCHEMA)}
    for name, document in documents.items():
        components[component_name(name)] = _rewrite(document, name)
        for definition, schema in document.get("$defs", {}).items():
            components[component_name(name, definition)] = _rewrite(schema, name)
    return components


def _problem_responses(*statuses: int) -> dict[str, Any]:
    described = {
        400: "Malformed JSON (not UTF-8, syntax error, NaN, duplicate keys).",
        413: "Body larger than the limit.",
        415: "Body not sent as application/json.",
        422: "The document breaks its JSON Schema: one error per field, with its JSON Pointer.",
        503: "The policy engine gave no usable answer. Never read as pass: retry later.",
    }
    return {
        str(status): {
            "description": described[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def _document_operation(
    spec: dict[str, Any], path: str, schema_name: str, documents: dict[str, dict[str, Any]], answer: str
) -> None:
    operation = spec["paths"][path]["post"]
    examples = documents[schema_name].get("examples", [])
    operation["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/" + component_name(schema_name)},
                "examples": {f"example{i + 1}": {"value": value} for i, value in enumerate(examples)},
            }
        },
    }
    operation["responses"] = {
        "200": {
            "description": answer,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}},
        },
        **_problem_responses(400, 413, 415, 422, 503),
    }


def install_openapi(app: FastAPI, documents: dict[str, dict[str, Any]]) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        spec.setdefault("components", {}).setdefault("schemas", {}).update(schema_components(documents))
        _document_operation(
            spec,
            "/v1/precheck",
            "submission",
            documents,
            "The verdict: route, findings with citations, obligations.",
        )
        _document_operation(
            spec,
            "/v1/committees/check",
            "committee_order",
            documents,
            "The verdict on the order: one finding per composition rule in force, no route.",
        )
        _document_operation(
            spec,
            "/v1/decisions/{decision_id}/resolutions",
            "resolution",
            documents,
            "The resolution is recorded: the policies' verdict on it (admissible, the route step it "
            "resolves, one finding per rule R-RES-1…7); its decision_id is the resolution's id.",
        )
        resolutions = spec["paths"]["/v1/decisions/{decision_id}/resolutions"]
        resolutions["post"]["responses"]["422"] = {
            "description": "The resolution breaks its JSON Schema (errors, one per field), or the policies "
            "refuse to record it (code inadmissible_resolution: findings, the rules R-RES-1…7 it failed, "
            "each with its field in the resolution and its citation). Nothing is logged.",
            "content": _PROBLEM,
        }
        _document_problems_and_access(spec)
        resolutions["post"]["responses"]["422"]["description"] = (
            "The resolution breaks its JSON Schema (errors), or the policies refuse to record it "
            "(code inadmissible_resolution, with findings). Nothing is logged."
        )
        app.openapi_schema = spec
        return spec

    app.openapi = build  # type: ignore[method-assign]


_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_ROLES = {
    "/v1/precheck": "submitter",
    "/v1/committees/check": "submitter",
    "/v1/rules": "submitter or auditor",
    "/v1/rules/{rule_id}": "submitter or auditor",
    "/v1/decisions": "auditor or secretariat",
    "/v1/decisions/{decision_id}": "auditor or secretariat",
    "/v1/decisions/{decision_id}/resolutions": "secretariat to record; auditor or secretariat to read",
    "/v1/reports/semiannual": "auditor or secretariat",
}
_NOT_FOUND = ("/v1/rules/{rule_id}", "/v1/decisions/{decision_id}", "/v1/decisions/{decision_id}/resolutions")
_NEEDS_THE_LOG = (
    "/v1/decisions",
    "/v1/decisions/{decision_id}",
    "/v1/decisions/{decision_id}/resolutions",
    "/v1/reports/semiannual",
)


def _document_problems_and_access(spec: dict[str, Any]) -> None:
    """Every answer the routes give, as problem details: 401/403 (keys and roles), 404, 422, 503."""
    spec["components"].setdefault("securitySchemes", {})["apiKey"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key (ictgate keys create), as Authorization: Bearer <key> or X-API-Key.",
    }
    spec["components"]["schemas"].pop("HTTPValidationError", None)
    spec["components"]["schemas"].pop("ValidationError", None)
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {
                    "description": "Invalid parameters or document: one error per field or parameter.",
                    "content": _PROBLEM,
                }
            role = _ROLES.get(path)
            if role is not None:
                operation["security"] = [{"apiKey": []}]
                responses["401"] = {
                    "description": "No API key, or one the service does not know.",
                    "content": _PROBLEM,
                }
                responses["403"] = {
                    "description": f"The key's role may not call this (needs {role}).",
                    "content": _PROBLEM,
                }
            if path in _NOT_FOUND:
                responses["404"] = {"description": "Not found.", "content": _PROBLEM}
            if path in _NEEDS_THE_LOG:
                responses["503"] = {"description": "The decision log is unavailable.", "content": _PROBLEM}
            if path == "/readyz":
                responses["503"] = {
                    "description": "Not ready: the policy engine gives no valid verdict, or the decision "
                    "log takes no write, within the deadline.",
                    "content": _PROBLEM,
                }
            if path == "/v1/reports/semiannual":
                responses["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
                responses["200"]["content"][XLSX] = {"schema": {"type": "string", "format": "binary"}}
