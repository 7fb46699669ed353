"""Sources: turn inputs (files, directories, stdin) into Articles, or skips with reasons."""
