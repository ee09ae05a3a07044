// Print, as JSON, what Podcast Index's own feed parser (npm podcast-partytime) reads from a feed file.
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");

const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) {
  console.error("podcast-partytime could not parse " + process.argv[2]);
  process.exit(1);
}
process.stdout.write(JSON.stringify(feed));
