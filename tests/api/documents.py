"""Documents the API tests put in their corpora: one restricted note whose words no public
token may ever see, and one public note every token may read."""

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

PUBLIC_NOTE = """---
title: Public note on semiconductor subsidies
access: public
type: analysis
date: '2024-05-01'
---

# Subsidies

The subsidies support factories built by TSMC in Kumamoto and by Rapidus in Hokkaido, which aims to mass-produce 2-nanometre chips in 2027.
"""
