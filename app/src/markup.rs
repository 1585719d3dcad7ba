//! Escaped HTML for the parts of the page that only show text (generated
//! code, table rows, a listed run's details): written in one go, one
//! `inner_html` per update, instead of an element per node through
//! [`crate::dom`], which is kept for what is interactive or must keep its
//! DOM nodes (focus, keyed lines). Tags and attribute names are
//! `&'static str` written here; every text and attribute value passes
//! through [`escape_into`], so no data can open a tag.

/// An HTML fragment being written.
#[derive(Debug, Default)]
pub struct Markup(String);

impl Markup {
    /// An empty fragment.
    pub fn new() -> Self {
        Self::default()
    }

    /// `<tag name="value" …>`.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            escape_into(&mut self.0, value);
            self.0.push('"');
        }
        self.0.push('>');
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.0, text);
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// `<tag …>text</tag>`.
    pub fn leaf(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// The fragment's HTML.
    pub fn finish(self) -> String {
        self.0
    }
}

/// Appends `s` with the five characters HTML gives meaning escaped, valid in
/// text and in quoted attribute values alike.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_values_cannot_open_a_tag_or_leave_an_attribute() {
        let mut m = Markup::new();
        m.open("li", &[("title", "\" onmouseover=\"alert(1)")])
            .text("<script>alert('x') & more</script>")
            .close("li");
        assert_eq!(
            m.finish(),
            "<li title=\"&quot; onmouseover=&quot;alert(1)\">\
             &lt;script&gt;alert(&#39;x&#39;) &amp; more&lt;/script&gt;</li>"
        );
    }

    #[test]
    fn leaves_nest_in_order() {
        let mut m = Markup::new();
        m.open("tr", &[])
            .leaf("th", &[("scope", "row")], "1")
            .leaf("td", &[], "—")
            .close("tr");
        assert_eq!(m.finish(), "<tr><th scope=\"row\">1</th><td>—</td></tr>");
    }
}
