"""Model: record files -> a validated catalogue. load.py reads YAML with positions, schema.py
describes every field, validate.py checks records and references and collects every problem
(errors.py), terminology.py checks wording, json_schema.py exports the schema for editors."""
