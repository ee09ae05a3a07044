"""The publish stage: ID3 tags, transcripts, chapters, covers, RSS with Podcasting 2.0, embeds, staging;
then the upload plan and its targets (a folder, an S3 bucket)."""
