"""Language processing over the clean text: sentences now; entities and more later."""
