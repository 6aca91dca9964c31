// Loads pages of a Quartz site built with Sparky's layout in headless Chromium (DevTools
// protocol; node 22: global fetch and WebSocket) and fails on any console error or exception,
// an empty explorer, reports out of order in it, or an empty report among the latest reports.
// Run by check-layout.sh, which builds the site and starts the server and Chromium.
//
// usage: node check-layout.mjs DEVTOOLS_PORT HTTP_PORT EMPTY_REPORTS_FILE PAGE...
// EMPTY_REPORTS_FILE lists the slugs of reports of periods without commits, one a line.
// Requests that leave 127.0.0.1 (web fonts, analytics, CDN scripts) get an empty 200 answer, so
// that an offline machine logs no network errors that would hide real ones.
import { readFileSync } from "node:fs"

const [devtoolsPort, httpPort, emptyFile, ...pages] = process.argv.slice(2)
const emptyReports = new Set(readFileSync(emptyFile, "utf8").split("\n").filter(Boolean))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let target
for (let t = 0; t < 50 && !target; t++) {
  try {
    const list = await (await fetch(`http://127.0.0.1:${devtoolsPort}/json/list`)).json()
    target = list.find((x) => x.type === "page")
  } catch {}
  if (!target) await sleep(200)
}
if (!target) {
  console.error("check-layout.mjs: no page target in Chromium")
  process.exit(2)
}
const ws = new WebSocket(target.webSocketDebuggerUrl)
await new Promise((resolve, reject) => {
  ws.addEventListener("open", resolve)
  ws.addEventListener("error", reject)
})
let id = 0
const pending = new Map()
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const i = ++id
    pending.set(i, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result)))
    ws.send(JSON.stringify({ id: i, method, params }))
  })

const errors = []
let loaded = false
let external = 0
ws.addEventListener("message", async (ev) => {
  const msg = JSON.parse(ev.data)
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg)
    pending.delete(msg.id)
    return
  }
  const p = msg.params
  switch (msg.method) {
    case "Page.loadEventFired":
      loaded = true
      break
    case "Runtime.exceptionThrown":
      errors.push(`exception: ${(p.exceptionDetails.exception?.description || p.exceptionDetails.text || "").split("\n")[0]}`)
      break
    case "Runtime.consoleAPICalled":
      if (p.type === "error" || p.type === "assert")
        errors.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description ?? "").join(" ")}`)
      break
    case "Log.entryAdded":
      if (p.entry.level === "error") errors.push(`${p.entry.source}: ${p.entry.text} ${p.entry.url ?? ""}`.trim())
      break
    case "Fetch.requestPaused": {
      const u = new URL(p.request.url)
      try {
        if (u.hostname === "127.0.0.1") await send("Fetch.continueRequest", { requestId: p.requestId })
        else {
          external++
          await send("Fetch.fulfillRequest", {
            requestId: p.requestId,
            responseCode: 200,
            responseHeaders: [{ name: "Access-Control-Allow-Origin", value: "*" }],
            body: "",
          })
        }
      } catch {
        // the request went away (navigation)
      }
      break
    }
  }
})
const evaluate = async (expression) => {
  const r = await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })
  if (r.exceptionDetails) throw new Error(`check-layout.mjs: ${r.exceptionDetails.exception?.description}`)
  return r.result.value
}

await send("Page.enable")
await send("Runtime.enable")
await send("Log.enable")
await send("Fetch.enable", { patterns: [{ urlPattern: "*", requestStage: "Request" }] })

// What the explorer shows: every entry (the DOM holds collapsed folders' children too), the
// top level, and the children of the report folders, in order.
const explorerState = `(() => {
  const ul = document.querySelector(".explorer .explorer-ul")
  if (!ul) return null
  const slug = (li) =>
    li.querySelector(":scope > a")?.dataset.for ?? li.querySelector(":scope > .folder-container")?.dataset.folderpath ?? ""
  const name = (li) => slug(li).split("/").filter((s) => s !== "index").pop()
  const kids = (li) => (li ? [...li.querySelectorAll(":scope > .folder-outer > ul > li")] : [])
  const top = [...ul.querySelectorAll(":scope > li")].filter((li) => slug(li))
  const blog = top.find((li) => name(li) === "blog")
  const years = kids(blog)
  const months = kids(years[0])
  const reports = kids(months[0])
  return {
    entries: ul.querySelectorAll("li a").length,
    top: top.map(name),
    years: years.map(name),
    months: months.map(name),
    reports: reports.map(name),
  }
})()`
const recentState = `[...document.querySelectorAll(".recent-notes li a.internal")].map((a) =>
  new URL(a.getAttribute("href"), location.href).pathname.replace(/^\\//, "").replace(/\\.html$/, ""))`

let failed = 0
for (const page of pages) {
  errors.length = 0
  loaded = false
  const url = `http://127.0.0.1:${httpPort}/${page === "index" ? "" : page}`
  const problems = []
  const nav = await send("Page.navigate", { url })
  if (nav.errorText) problems.push(`navigation failed: ${nav.errorText}`)
  for (let t = 0; t < 150 && !loaded; t++) await sleep(100)
  let state = null
  for (let t = 0; t < 50; t++) {
    state = await evaluate(explorerState)
    if (state && state.entries > 0) break
    await sleep(100)
  }
  await sleep(500) // late errors
  if (!state) problems.push("no explorer on the page")
  else if (state.entries === 0) problems.push("the explorer is empty")
  const line = [`${page}: explorer ${state ? state.entries : 0} entries`]
  if (state && state.entries > 0) {
    line.push(`top [${state.top.join(", ")}]`, `blog years [${state.years.join(", ")}]`)
    line.push(`newest year's months [${state.months.join(", ")}]`, `newest month [${state.reports.join(", ")}]`)
    const descending = (xs) =>
      xs.every((x, i) => i === 0 || xs[i - 1].localeCompare(x, undefined, { numeric: true }) >= 0)
    for (const [what, xs] of [["years", state.years], ["months", state.months], ["reports", state.reports]]) {
      if (!xs.length) problems.push(`no ${what} under blog/ in the explorer`)
      else if (!descending(xs)) problems.push(`${what} not newest first: ${xs.join(", ")}`)
    }
  }
  if (page === "index") {
    const recent = await evaluate(recentState)
    line.push(`latest reports [${recent.join(", ")}]`)
    if (!recent.length) problems.push("no latest reports on the home page")
    for (const slug of recent) {
      if (emptyReports.has(slug)) problems.push(`latest reports list an empty report: ${slug}`)
      if (!slug.startsWith("blog/")) problems.push(`latest reports list a page that is not a report: ${slug}`)
    }
  }
  line.push(`console errors ${errors.length}`)
  console.log(line.join("; "))
  for (const e of [...errors.map((e) => `console: ${e}`), ...problems]) console.log(`  FAIL ${e}`)
  if (errors.length || problems.length) failed++
}
console.log(`${pages.length - failed} of ${pages.length} pages clean (external requests answered empty: ${external})`)
await send("Fetch.disable").catch(() => {})
ws.close()
process.exit(failed ? 1 : 0)
