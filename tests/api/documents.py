"""Documents the API tests put in their corpora: one restricted note whose words no public
token may ever see."""

SECRET_DOC = """---
title: Internal note on critical-mineral reserves
access: restricted
type: analysis
date: '2025-11-01'
---

# Reserves

The government will fund a gallium and germanium stockpile reserve at Tomakomai with 4.2 billion yen
under the codename Project Sandpiper, managed jointly by METI and JOGMEC from April 2026.
"""
