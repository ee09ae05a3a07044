"""What narrate keeps between builds in the output's .narrate/ folder: memo, records, identities, languages, lock.

The JSON ones are read and written by json_file, which holds their one answer to damage.
"""
