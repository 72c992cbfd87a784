"""The bottom layer: settings, shared types, text rules, access policy. Imports nothing of the project."""
