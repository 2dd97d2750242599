"""Moving records between journals and marking exports: the only SQL of this package."""
