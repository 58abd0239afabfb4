"""The workbench TUI (Textual): documents, bitext, editor, glossary and QA side by side."""
