"""Error responses: invalid requests get a 422 with readable messages."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A 422 listing where and why the body is invalid.

    Unlike FastAPI's default it does not echo the input back, which may not even be
    serializable (``NaN``) and would turn a client error into a 500.
    """
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = []
    for error in errors:
        message = str(error.get("msg", "invalid"))
        reason = error.get("ctx", {}).get("error")
        if reason is not None and str(reason) not in message:
            message = f"{message}: {reason}"
        location = [str(part) for part in error.get("loc", ())]
        detail.append({"loc": location, "msg": message, "type": error.get("type")})
    return JSONResponse(status_code=422, content={"detail": detail})
