// Parse an RSS file with podcast-partytime (what Podcast Index and several apps use); print its view as JSON.
// Usage: node partytime.cjs FEED.xml
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");

const xml = fs.readFileSync(process.argv[2], "utf8");
const feed = parseFeed(xml, { allowMissingGuid: false });
process.stdout.write(JSON.stringify(feed, (key, value) => (value instanceof Map ? Object.fromEntries(value) : value)));
