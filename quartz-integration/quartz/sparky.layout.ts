// Sparky's layout pieces for a Quartz 4.5 site. Copy this file next to quartz.layout.ts and
// use the two exports there (see quartz-integration/README.md). Both assume the reports live in
// content/blog/ (Sparky's default `[output] base_folder`); with another folder, replace "blog/"
// below.
import * as Component from "./quartz/components"

// The explorer, with Sparky's report folder newest first: years, months and reports in reverse
// order (reports by their front-matter date), everything else sorted as Quartz sorts it.
// Quartz sends explorer functions to the browser as source text, so this function must not use
// anything defined outside it: the folder name is written inside.
export const sparkyExplorer = Component.Explorer({
  sortFn: (a, b) => {
    if (a.isFolder !== b.isFolder) {
      return a.isFolder ? -1 : 1
    }
    const reports = "blog/"
    if (a.slug.startsWith(reports) && b.slug.startsWith(reports)) {
      if (!a.isFolder) {
        const time = (d: unknown) => (d ? new Date(d as string).getTime() || 0 : 0)
        const newer = time(b.data?.date) - time(a.data?.date)
        if (newer !== 0) {
          return newer
        }
      }
      return b.slugSegment.localeCompare(a.slugSegment, undefined, { numeric: true })
    }
    return a.displayName.localeCompare(b.displayName, undefined, {
      numeric: true,
      sensitivity: "base",
    })
  },
})

// The five latest reports, on the home page only.
export const sparkyRecentReports = Component.ConditionalRender({
  component: Component.RecentNotes({
    title: "Latest reports",
    limit: 5,
    showTags: false,
    filter: (f) => (f.slug ?? "").startsWith("blog/") && !(f.slug ?? "").endsWith("index"),
  }),
  condition: (page) => page.fileData.slug === "index",
})
