"""Building blocks of the encrypted audit trail (entries, keys, blocks, storage)."""
