"""How drf-spectacular describes the API's authentication in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiSchema(AutoSchema):
    """Operations a caller may use without authenticating (``allows_anonymous`` on the view) say so: ``{}``."""

    def get_auth(self):
        auths = super().get_auth()
        if getattr(self.view, "allows_anonymous", False) and {} not in auths:
            auths.append({})
        return auths


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from your profile (“sgp_…”), limited to its scopes.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "The browser session."}


PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per field, for an invalid request.",
        },
        "state": {"type": "string", "description": "The state now, when someone else decided first."},
        "retry_after": {"type": "integer", "description": "Seconds to wait, when the rate limit is reached."},
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "The request is not valid: see errors.",
    "401": "Authentication needed (a token or the session), or the token is not valid.",
    "403": "A right or the token's scope is missing.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests: see the Retry-After header.",
}
WRITE_ERRORS = {"409": "Someone decided first, or the request breaks a rule of the workflow."}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook: every operation may answer with the problem details the API uses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path in ("/api/v1/schema/", "/api/v1/docs/"):
            continue
        for method, operation in operations.items():
            errors = {**ERRORS, **(WRITE_ERRORS if method in ("post", "delete") else {})}
            for status, description in errors.items():
                operation["responses"].setdefault(status, {"description": description, "content": content})
    return result
