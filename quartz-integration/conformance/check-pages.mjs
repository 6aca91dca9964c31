#!/usr/bin/env node
// Reproduces the parsing half of Quartz 4.5.2 (front matter, Markdown, Obsidian-flavoured
// rewrites) over every `.md` under a content folder and prints one JSON object per page
// (NDJSON on stdout), sorted by path. See README.md for what is reproduced and what is not.
//
// usage: node check-pages.mjs <content-folder> [--html]
//
// Exit status: 0 when every page was examined (a page that fails is reported with ok=false),
// 2 on usage errors.

import fs from "node:fs"
import path from "node:path"
import matter from "gray-matter"
import yaml from "js-yaml"
import { unified } from "unified"
import remarkParse from "remark-parse"
import remarkFrontmatter from "remark-frontmatter"
import remarkGfm from "remark-gfm"
import remarkSmartypants from "remark-smartypants"
import remarkMath from "remark-math"
import remarkRehype from "remark-rehype"
import rehypeRaw from "rehype-raw"
import rehypeStringify from "rehype-stringify"
import { findAndReplace } from "mdast-util-find-and-replace"
import { visit } from "unist-util-visit"

// ---- Quartz's own patterns (quartz/plugins/transformers/ofm.ts, 4.5 line) -------------------

const arrowMapping = {
  "->": "&rarr;",
  "-->": "&rArr;",
  "=>": "&rArr;",
  "==>": "&rArr;",
  "<-": "&larr;",
  "<--": "&lArr;",
  "<=": "&lArr;",
  "<==": "&lArr;",
}
const arrowRegex = /(-{1,2}>|={1,2}>|<-{1,2}|<={1,2})/g
const wikilinkRegex = /!?\[\[([^\[\]\|\#\\]+)?(#+[^\[\]\|\#\\]+)?(\\?\|[^\[\]\#]*)?\]\]/g
const inlineFootnoteRegex = /\^\[((?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*)\]/g
const tableRegex = /^\|([^\n])+\|\n(\|)( ?:?-{3,}:? ?\|)+\n(\|([^\n])+\|\n?)+/gm
const tableWikilinkRegex = /(!?\[\[[^\]]*?\]\]|\[\^[^\]]*?\])/g
const highlightRegex = /==([^=]+)==/g
const commentRegex = /%%[\s\S]*?%%/g
const calloutRegex = /^\[\!([\w-]+)\|?(.+?)?\]([+-]?)/
const calloutLineRegex = /^> *\[\!\w+\|?.*?\][+-]?.*$/gm
const tagRegex = /(?<=^| )#((?:[-_\p{L}\p{Emoji}\p{M}\d])+(?:\/[-_\p{L}\p{Emoji}\p{M}\d]+)*)/gu
const blockReferenceRegex = /\^([-_A-Za-z0-9]+)$/g

// quartz/util/path.ts
function sluggify(s) {
  return s
    .split("/")
    .map((segment) =>
      segment
        .replace(/\s/g, "-")
        .replace(/&/g, "-and-")
        .replace(/%/g, "-percent")
        .replace(/\?/g, "")
        .replace(/#/g, ""),
    )
    .join("/")
    .replace(/\/$/, "")
}
const slugTag = (tag) =>
  tag
    .split("/")
    .map((segment) => sluggify(segment))
    .join("/")

// quartz/plugins/transformers/frontmatter.ts
function coalesceAliases(data, aliases) {
  for (const alias of aliases) {
    if (data[alias] !== undefined && data[alias] !== null) return data[alias]
  }
}
function coerceToArray(input) {
  if (input === undefined || input === null) return undefined
  if (!Array.isArray(input)) {
    input = input
      .toString()
      .split(",")
      .map((tag) => tag.trim())
  }
  return input
    .filter((tag) => typeof tag === "string" || typeof tag === "number")
    .map((tag) => tag.toString())
}

// quartz/plugins/transformers/lastmod.ts: a date-only value is local midnight.
function coerceDate(d) {
  if (typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d)) d = `${d}T00:00:00`
  const dt = new Date(d)
  const invalid = isNaN(dt.getTime()) || dt.getTime() === 0
  return invalid ? null : dt
}

const countMatches = (re, s) => (s.match(new RegExp(re.source, re.flags)) ?? []).length

// ---- one page --------------------------------------------------------------------------------

function checkPage(file, raw, wantHtml) {
  const ofm = {
    wikilinks: 0,
    highlights: 0,
    comments: 0,
    tags: 0,
    callouts: 0,
    block_refs: 0,
    math: 0,
    arrows: 0,
    inline_footnotes: 0,
  }
  const out = { file, ok: true }

  // quartz/processors/parse.ts: the file is trimmed, then every textTransform runs on the
  // whole source, front matter included.
  let src = raw.trim()
  ofm.comments += countMatches(commentRegex, src)
  src = src.replace(commentRegex, "")
  ofm.callouts += countMatches(calloutLineRegex, src)
  src = src.replace(calloutLineRegex, (v) => v + "\n> ")
  src = src.replace(tableRegex, (table) =>
    table.replace(tableWikilinkRegex, (_v, rawLink) => {
      let escaped = (rawLink ?? "").replace("#", "\\#")
      return escaped.replace(/((^|[^\\])(\\\\)*)\|/g, "$1\\|")
    }),
  )
  ofm.wikilinks += countMatches(wikilinkRegex, src)
  ofm.inline_footnotes += countMatches(inlineFootnoteRegex, src)

  // FrontMatter plugin: gray-matter with js-yaml's JSON schema over the transformed source.
  let data
  try {
    data = matter(Buffer.from(src), {
      delimiters: "---",
      language: "yaml",
      engines: { yaml: (s) => yaml.load(s, { schema: yaml.JSON_SCHEMA }) },
    }).data
  } catch (err) {
    return { ...out, ok: false, error: String(err?.message ?? err), ofm }
  }
  out.frontmatter = data
  const stem = path.basename(file, path.extname(file))
  out.title = data.title != null && data.title.toString() !== "" ? data.title.toString() : stem
  out.title_from_frontmatter = data.title != null && data.title.toString() !== ""
  const description = coalesceAliases(data, ["description", "socialDescription"])
  out.description = description == null ? null : description.toString()
  const tagList = coerceToArray(coalesceAliases(data, ["tags", "tag"]))
  const tags = tagList ? [...new Set(tagList.map(slugTag))] : []
  const dateValue = coalesceAliases(data, ["created", "date"])
  const date = dateValue === undefined ? null : coerceDate(dateValue)
  out.date = date ? date.toISOString() : null
  out.date_valid = dateValue === undefined || date !== null

  const stats = { elements: [], attributes: [], attributes_with_urls: [], links: [], texts: [] }
  let html
  try {
    const processor = unified()
      .use(remarkParse)
      .use(remarkFrontmatter, ["yaml", "toml"])
      .use(ofmMarkdown, { ofm, tags })
      .use(remarkGfm)
      .use(remarkSmartypants)
      .use(remarkMath)
      .use(countMath, { ofm })
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeRaw)
      .use(ofmHtml, { ofm })
      .use(collect, { stats })
    const tree = processor.runSync(processor.parse(src))
    if (wantHtml) html = unified().use(rehypeStringify).stringify(tree)
  } catch (err) {
    return { ...out, ok: false, error: String(err?.stack ?? err), ofm }
  }
  out.tags = tags
  out.h1_in_body = stats.elements.includes("h1")
  Object.assign(out, stats, { ofm })
  if (wantHtml) out.html = html
  return out
}

// ObsidianFlavoredMarkdown's markdown plugins: the regex replacements on decoded text nodes
// (wikilinks, highlights, arrows, tags, in that order) and callout detection.
function ofmMarkdown({ ofm, tags }) {
  return (tree) => {
    findAndReplace(tree, [
      [
        wikilinkRegex,
        (value, rawFp, rawHeader, rawAlias) => {
          ofm.wikilinks++
          const fp = rawFp?.trim() ?? ""
          if (value.startsWith("!")) {
            return { type: "html", value: `<blockquote class="transclude"></blockquote>` }
          }
          const alias = rawAlias?.slice(1).trim()
          return {
            type: "link",
            url: fp + (rawHeader?.trim() ?? ""),
            children: [{ type: "text", value: alias ?? fp }],
          }
        },
      ],
      [
        highlightRegex,
        (_value, inner) => {
          ofm.highlights++
          return { type: "html", value: `<mark>${inner}</mark>` }
        },
      ],
      [
        arrowRegex,
        (value) => {
          const arrow = arrowMapping[value]
          if (arrow === undefined) return false
          ofm.arrows++
          return { type: "html", value: `<span>${arrow}</span>` }
        },
      ],
      [
        tagRegex,
        (_value, tag) => {
          if (/^[\/\d]+$/.test(tag)) return false
          ofm.tags++
          tag = slugTag(tag)
          if (!tags.includes(tag)) tags.push(tag)
          return {
            type: "link",
            url: `./tags/${tag}`,
            data: { hProperties: { className: ["tag-link"] } },
            children: [{ type: "text", value: tag }],
          }
        },
      ],
    ])
    visit(tree, "blockquote", (node) => {
      const first = node.children[0]
      if (first?.type !== "paragraph" || first.children[0]?.type !== "text") return
      const firstLine = first.children[0].value.split("\n")[0]
      if (calloutRegex.test(firstLine)) ofm.callouts++
    })
  }
}

function countMath({ ofm }) {
  return (tree) => {
    visit(tree, (node) => {
      if (node.type === "math" || node.type === "inlineMath") ofm.math++
    })
  }
}

// ObsidianFlavoredMarkdown's HTML plugins after rehype-raw: block references on the last text
// of a <p>/<li> (or a paragraph after a blockquote), and `==` highlights inside <p>.
function ofmHtml({ ofm }) {
  return (tree) => {
    visit(tree, "element", (node, index, parent) => {
      if (node.tagName === "blockquote") {
        const next = parent?.children.at(index + 2)
        const text = next?.tagName === "p" ? next.children.at(0) : undefined
        if (text?.type === "text" && text.value && text.value.match(blockReferenceRegex)) {
          ofm.block_refs++
        }
      } else if (node.tagName === "p" || node.tagName === "li") {
        const last = node.children.at(-1)
        if (last && last.value && typeof last.value === "string") {
          const matches = last.value.match(blockReferenceRegex)
          if (matches && matches.length >= 1) {
            ofm.block_refs++
            last.value = last.value.slice(0, -matches[0].length)
          }
        }
      }
      if (node.tagName === "p") {
        let markers = 0
        for (const child of node.children) {
          if (child.type === "text") markers += child.value.split("==").length - 1
        }
        ofm.highlights += Math.floor(markers / 2)
      }
    })
  }
}

const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "srcSet",
  "action",
  "formAction",
  "poster",
  "cite",
  "data",
  "background",
  "longDesc",
  "manifest",
  "ping",
  "xLinkHref",
  "dataUrl",
  "dataSrc",
])
const TEXT_TAGS = new Set(["p", "li", "td", "th", "a", "code", "h1", "h2", "h3", "h4", "h5", "h6"])

function textOf(node) {
  if (node.type === "text") return node.value
  if (node.type === "element") {
    if (node.tagName === "br") return "\n"
    return node.children.map(textOf).join("")
  }
  return ""
}

function collect({ stats }) {
  return (tree) => {
    visit(tree, (node) => {
      if (node.type === "raw") stats.elements.push("#raw")
      if (node.type !== "element") return
      stats.elements.push(node.tagName)
      for (const [name, value] of Object.entries(node.properties ?? {})) {
        const shown = Array.isArray(value) ? value.join(" ") : String(value)
        stats.attributes.push(`${node.tagName}[${name}]`)
        const lower = name.toLowerCase()
        if (URL_ATTRIBUTES.has(name) || lower.startsWith("on") || lower === "style") {
          stats.attributes_with_urls.push({ element: node.tagName, name, value: shown })
        }
        if (name === "href" || name === "src") stats.links.push(shown)
      }
      if (TEXT_TAGS.has(node.tagName)) stats.texts.push({ tag: node.tagName, text: textOf(node) })
    })
  }
}

// ---- main ------------------------------------------------------------------------------------

function markdownFiles(dir) {
  const found = []
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && entry.name.endsWith(".md")) found.push(full)
    }
  }
  walk(dir)
  return found.sort()
}

const args = process.argv.slice(2)
const wantHtml = args.includes("--html")
const folders = args.filter((a) => a !== "--html")
if (folders.length !== 1 || !fs.existsSync(folders[0]) || !fs.statSync(folders[0]).isDirectory()) {
  process.stderr.write("usage: node check-pages.mjs <content-folder> [--html]\n")
  process.exit(2)
}
const root = folders[0]
const lines = []
for (const fp of markdownFiles(root)) {
  const rel = path.relative(root, fp).split(path.sep).join("/")
  let result
  try {
    result = checkPage(rel, fs.readFileSync(fp, "utf8"), wantHtml)
  } catch (err) {
    result = { file: rel, ok: false, error: String(err?.stack ?? err) }
  }
  lines.push(JSON.stringify(result))
}
process.stdout.write(lines.length ? lines.join("\n") + "\n" : "")
