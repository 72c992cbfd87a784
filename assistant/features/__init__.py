"""Features: briefing notes, quizzes, export, library, chat sessions, users, audit, evaluation."""
