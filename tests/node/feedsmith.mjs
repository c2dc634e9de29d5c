// Parse an RSS file with feedsmith (namespace-aware); print its view as JSON.
// Usage: node feedsmith.mjs FEED.xml
import fs from "node:fs";
import { parseRssFeed } from "feedsmith";

const xml = fs.readFileSync(process.argv[2], "utf8");
process.stdout.write(JSON.stringify(parseRssFeed(xml)));
