"""The publish stage: ID3 tags, transcripts, chapters, covers, RSS with Podcasting 2.0, embeds, staging."""
