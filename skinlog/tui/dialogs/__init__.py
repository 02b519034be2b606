"""Modal dialogs: confirmation, product forms, help and the journal error."""
