-- validate-3 needs no undo

