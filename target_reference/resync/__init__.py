"""resync: workflow orchestration with an encrypted, hash-chained audit trail."""
