-- validate-1 needs no undo

