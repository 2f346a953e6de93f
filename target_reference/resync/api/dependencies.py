"""Request dependencies: the running services."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from resync.core.services import Services


def get_services(request: Request) -> Services:
    services = getattr(request.app.state, "services", None)
    if not isinstance(services, Services):
        raise HTTPException(status_code=503, detail="the service is not running")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
