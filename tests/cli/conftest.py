"""Command-line tests never touch the machine's own credential store, and leave keyring's process-wide
backend exactly as they found it (usually not yet chosen) for the tests after them."""

from __future__ import annotations

import keyring.core
import pytest
from keyring.backend import KeyringBackend


class EmptyKeyring(KeyringBackend):
    """An empty store: `saved` sign-ins find nothing, as on a machine where nobody ran `login`."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("this test did not expect a sign-in to be saved")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("nothing saved")


@pytest.fixture(autouse=True)
def empty_keyring(monkeypatch: pytest.MonkeyPatch) -> KeyringBackend:
    # Through `monkeypatch`, as the tests that swap the store do: undone last-in first-out after the test, so
    # keyring's process-wide backend is exactly what it was before (usually not yet chosen) for what follows.
    store = EmptyKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", store)
    return store
