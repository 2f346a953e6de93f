from app.task_tracker import track_task


def schedule() -> None:
    track_task(heartbeat())
