// Validate a WebVTT file with webvtt-parser (the parser of the W3C's WebVTT validator); print cues and errors as JSON.
// Usage: node webvtt.cjs FILE.vtt
const fs = require("fs");
const { WebVTTParser } = require("webvtt-parser");

const tree = new WebVTTParser().parse(fs.readFileSync(process.argv[2], "utf8"), "subtitles");
const voices = (nodes) => nodes.flatMap((node) => (node.name === "v" ? [node.value] : node.children ? voices(node.children) : []));
const text = (nodes) => nodes.map((node) => (node.type === "text" ? node.value : text(node.children || []))).join("");
process.stdout.write(
  JSON.stringify({
    errors: tree.errors,
    cues: tree.cues.map((cue) => ({ start: cue.startTime, end: cue.endTime, text: text(cue.tree.children), voices: voices(cue.tree.children) })),
  }),
);
