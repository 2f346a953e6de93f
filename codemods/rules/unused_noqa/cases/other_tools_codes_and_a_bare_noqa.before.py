import os  # noqa: F401
value = compute()  # noqa
