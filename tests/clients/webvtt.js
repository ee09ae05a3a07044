// Print, as JSON, the errors and cue count the W3C WebVTT parser (npm webvtt-parser) finds in a .vtt file.
const fs = require("fs");
const { WebVTTParser } = require("webvtt-parser");

const result = new WebVTTParser().parse(fs.readFileSync(process.argv[2], "utf8"), "metadata");
process.stdout.write(JSON.stringify({ errors: result.errors, cues: result.cues.length }));
