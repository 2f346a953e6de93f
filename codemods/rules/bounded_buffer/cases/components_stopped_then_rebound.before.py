"""A list of components, each stopped with an await and then dropped (``self.x =
[]``), and one handed to a setup call and reset on unload: nothing writes them out
as a batch, so neither is a buffer."""


class Endpoint:
    async def stop(self) -> None:
        pass


class Server:
    def setup(self, skills: list[str]) -> None:
        pass


class Service:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.endpoints: list[Endpoint] = []
        self.skills: list[str] = []

    def add(self, endpoint: Endpoint, skill: str) -> None:
        self.endpoints.append(endpoint)
        self.skills.append(skill)

    async def start(self) -> None:
        self.server.setup(self.skills)

    async def stop(self) -> None:
        for endpoint in self.endpoints:
            await endpoint.stop()
        self.endpoints = []

    async def unload(self) -> None:
        self.skills = []
