"""Delta sync: the change log (kept by triggers), its reads, and the snapshot for new clients."""
