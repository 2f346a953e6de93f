from app.retry import Retrier


async def main() -> None:
    retrier = Retrier(0.5)
    retrier.register()
