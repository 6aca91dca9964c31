// Sparky's layout pieces for a Quartz 4.5 site. Copy this file next to quartz.layout.ts and
// use the two exports there (see quartz-integration/README.md). Both assume the reports live in
// content/blog/ (Sparky's default `[output] base_folder`); with another folder, replace "blog/"
// below. `quartz-integration/check-layout.sh` builds a real Quartz 4.5.2 site with them and loads
// its pages in Chromium.
import * as Component from "./quartz/components"

// The explorer, with Sparky's report folder newest first: years and months in reverse order, and
// in a month the weekly reports (newest first), the monthly review, then the daily digests
// (newest first), as their file names sort backwards; everything else sorted as Quartz sorts it.
//
// Quartz sends explorer functions to the browser as source text (`sortFn.toString()`), where
// they are rebuilt without their surroundings, so this function must not use anything defined
// outside it, and must not define named functions inside it: Quartz's bundler wraps those in a
// `__name(...)` helper that does not exist in the browser, and the explorer comes out empty.
// Nor can it read a page's date: the content index the browser gets has none.
export const sparkyExplorer = Component.Explorer({
  sortFn: (a, b) => {
    if (a.isFolder !== b.isFolder) {
      return a.isFolder ? -1 : 1
    }
    if (a.slug.startsWith("blog/") && b.slug.startsWith("blog/")) {
      return b.slugSegment.localeCompare(a.slugSegment, undefined, { numeric: true })
    }
    return a.displayName.localeCompare(b.displayName, undefined, {
      numeric: true,
      sensitivity: "base",
    })
  },
})

// The five latest reports, on the home page only. A report is a page with `sparky_generator` in
// its front matter (index pages have `sparky_index` instead); a period without commits still has
// a report, whose description says "No commits in …": those are left out. (This runs while the
// site is built, not in the browser.)
export const sparkyRecentReports = Component.ConditionalRender({
  component: Component.RecentNotes({
    title: "Latest reports",
    limit: 5,
    showTags: false,
    filter: (f) =>
      typeof f.frontmatter?.sparky_generator === "string" &&
      !String(f.frontmatter?.description ?? "").startsWith("No commits"),
  }),
  condition: (page) => page.fileData.slug === "index",
})
