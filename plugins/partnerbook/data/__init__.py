"""The data files: the schema (one table for the loader and the JSON Schema), YAML reading,
records, references between them, the load step and the model the rest reads."""
