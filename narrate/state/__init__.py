"""What narrate keeps between builds in the output's .narrate/ folder: memo, records, identities, languages, lock."""
