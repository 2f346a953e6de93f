from app.client import Client, fetch


def main() -> None:
    # Synchronous code, no `async def` in the module: reported.
    print(fetch(5))
    worker = Client()
    connected = worker.connect()
