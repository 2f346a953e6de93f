from fastapi import FastAPI

from app.admin import admin
from app.api import router
from app.lifespan import lifespan

app = FastAPI(lifespan=lifespan)
app.include_router(router)
app.include_router(admin)
