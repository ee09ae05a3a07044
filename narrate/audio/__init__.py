"""The stitch stage: clip shapes, loudness, the limiter, joining clips and encoding MP3 (numpy and ffmpeg)."""
