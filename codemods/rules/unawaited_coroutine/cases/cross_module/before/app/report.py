from app import fetch


def summary() -> str:
    # Reached through the package's re-export: reported.
    return f"fetched {fetch(6)}"
