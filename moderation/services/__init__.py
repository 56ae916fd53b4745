"""Services: the operations of the product; each owns its transaction."""
