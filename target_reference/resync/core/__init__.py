"""Application services: audit trail, orchestration, enterprise manager, lifespan."""
