//! Colours: mid-luminance fills and greys that keep at least 3:1 contrast on both the site's light
//! (#ffffff) and dark (#161618) backgrounds, plus the `<style>` refinements for each scheme.

/// Background of the site's light theme.
#[cfg(test)]
pub(crate) const LIGHT_BG: &str = "#ffffff";
/// Background of the site's dark theme.
#[cfg(test)]
pub(crate) const DARK_BG: &str = "#161618";

/// Series fills, in order of use. Hues spread round the wheel at similar luminance (about 0.2,
/// where contrast is balanced between the two backgrounds) so neighbours in a stack stay distinct.
pub(crate) const SERIES: [&str; 8] = [
    "#3f7ac4", "#c26a1e", "#0e8d82", "#c2527b", "#a8801b", "#8c63b7", "#508f41", "#986655",
];
/// Slightly lighter fills used when the reader's scheme is dark (same hues, same order).
pub(crate) const SERIES_DARK: [&str; 8] = [
    "#5b8ecd", "#c87834", "#2b9a91", "#cc6d90", "#ac8627", "#9f7dc3", "#609953", "#ab8275",
];
/// The folded "others" series: a neutral grey, set apart from the hues.
pub(crate) const OTHERS: &str = "#80808a";
pub(crate) const OTHERS_DARK: &str = "#8a8a94";
/// Lines added (above the axis) and deleted (below): teal and red, apart for colour-blind readers too.
pub(crate) const ADDED: &str = "#0e8d82";
pub(crate) const ADDED_DARK: &str = "#2b9a91";
pub(crate) const DELETED: &str = "#c54845";
pub(crate) const DELETED_DARK: &str = "#d16e6c";

/// Text and axes: a grey balanced between the two backgrounds (about 4.2:1 on each).
pub(crate) const INK: &str = "#777781";
/// Darker ink when the reader prefers light; still at least 3:1 on the dark background.
pub(crate) const INK_LIGHT: &str = "#6e6e77";
/// Lighter ink when the reader prefers dark; still at least 3:1 on the light background.
pub(crate) const INK_DARK: &str = "#86868f";

/// Fill class for series slot `i` (`c0`..`c7`).
pub(crate) fn series_class(i: usize) -> String {
    format!("c{}", i % SERIES.len())
}

/// Fill colour for series slot `i`.
pub(crate) fn series_fill(i: usize) -> &'static str {
    SERIES[i % SERIES.len()]
}

/// The embedded stylesheet. Every shape also carries its colour as a presentation attribute, so a
/// renderer that ignores `<style>` still draws the base palette. The media queries follow the
/// reader's colour-scheme preference (an `<img>` cannot see the page's own theme toggle), and each
/// refinement still passes 3:1 on the other background in case the page theme disagrees.
pub(crate) fn stylesheet() -> String {
    let mut css = String::new();
    css.push_str(&format!(
        ".fg{{fill:{INK}}}.ax{{stroke:{INK}}}.gr{{stroke:{INK};stroke-opacity:0.3}}\
         .t{{font-size:14px;font-weight:600}}"
    ));
    for (i, fill) in SERIES.iter().enumerate() {
        css.push_str(&format!(".c{i}{{fill:{fill}}}"));
    }
    css.push_str(&format!(
        ".co{{fill:{OTHERS}}}.ca{{fill:{ADDED}}}.cd{{fill:{DELETED}}}"
    ));
    css.push_str(&format!(
        "@media (prefers-color-scheme: light){{.fg{{fill:{INK_LIGHT}}}.ax{{stroke:{INK_LIGHT}}}}}"
    ));
    css.push_str(&format!(
        "@media (prefers-color-scheme: dark){{.fg{{fill:{INK_DARK}}}.ax{{stroke:{INK_DARK}}}\
         .gr{{stroke:{INK_DARK};stroke-opacity:0.25}}"
    ));
    for (i, fill) in SERIES_DARK.iter().enumerate() {
        css.push_str(&format!(".c{i}{{fill:{fill}}}"));
    }
    css.push_str(&format!(
        ".co{{fill:{OTHERS_DARK}}}.ca{{fill:{ADDED_DARK}}}.cd{{fill:{DELETED_DARK}}}}}"
    ));
    css
}
