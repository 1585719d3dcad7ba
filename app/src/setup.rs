//! How to run the code shown: the SDK release it needs, the one-line
//! install, the file to save it as and the command that runs it, and what
//! the SDK says about the API's stability ([`proto::code::Setup`]).

use proto::code::Setup;

use crate::dom::El;
use crate::markup::Markup;

/// The setup lines above a snippet: `setup`'s, in a list with
/// `data-testid` `testid`.
pub fn setup_block(setup: impl Fn() -> Setup + 'static, testid: &str) -> El {
    let rows = move || {
        let s = setup();
        let mut m = Markup::new();
        let rows = [
            ("Requires", "setup-requires", s.requires, false),
            ("Install", "setup-install", s.install, true),
            ("Save as", "setup-save-as", s.save_as, true),
            ("Run", "setup-run", s.run, true),
            (
                "Stability",
                "setup-stability",
                s.stability.unwrap_or_default(),
                false,
            ),
        ];
        for (label, testid, value, code) in rows {
            if value.is_empty() {
                continue;
            }
            m.leaf("dt", &[], label)
                .open("dd", &[("data-testid", testid)])
                .leaf(if code { "code" } else { "span" }, &[], &value)
                .close("dd");
        }
        m.finish()
    };
    El::new("dl").class("setup").testid(testid).dyn_html(rows)
}
