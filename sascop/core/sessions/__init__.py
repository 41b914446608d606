"""Sessions: the lifetime policy and the store (database rows, revocable Redis copies)."""
