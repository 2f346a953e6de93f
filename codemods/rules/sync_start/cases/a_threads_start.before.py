import threading


def serve() -> None:
    worker = threading.Thread(target=print)
    worker.start()
