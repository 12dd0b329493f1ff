-- backfill-1 needs no undo

