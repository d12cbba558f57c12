"""Writing comfort in the article form: toolbar, live preview, word count and autosave of work in progress."""
