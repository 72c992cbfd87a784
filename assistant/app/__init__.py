"""Streamlit pages: thin, they call the engine and never a store directly."""
