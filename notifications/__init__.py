"""E-mail to staff about the editorial work: what changed in the workflow, replies waiting, reviews due."""
