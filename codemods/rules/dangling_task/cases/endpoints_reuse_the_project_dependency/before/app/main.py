from fastapi import FastAPI

from app.api import router
from app.lifespan import lifespan

app = FastAPI(lifespan=lifespan)
app.include_router(router)
